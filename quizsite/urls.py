from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("questions.api.urls")),
    path("me/", include("questions.progress_urls")),
    path("accounts/", include("questions.account_urls")),
    path("", include("questions.urls")),
]
