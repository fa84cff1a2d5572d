from django.contrib import admin
from django.urls import include, path

from questions import api_docs, health
from questions.interview_urls import invite_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("api/schema/", api_docs.schema, name="schema"),
    path("api/docs/", api_docs.docs, name="api-docs"),
    path("api/", include("questions.api.urls")),
    path("me/", include("questions.progress_urls")),
    path("accounts/", include("questions.account_urls")),
    path("sets/", include("questions.interview_urls")),
    path("invite/", include(invite_patterns)),
    path("", include("questions.urls")),
]

handler400 = "questions.error_views.bad_request"
handler403 = "questions.error_views.permission_denied"
handler404 = "questions.error_views.page_not_found"
handler500 = "questions.error_views.server_error"
