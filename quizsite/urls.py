from django.contrib import admin
from django.urls import include, path

from questions.interview_urls import invite_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("questions.api.urls")),
    path("me/", include("questions.progress_urls")),
    path("accounts/", include("questions.account_urls")),
    path("sets/", include("questions.interview_urls")),
    path("invite/", include(invite_patterns)),
    path("", include("questions.urls")),
]
