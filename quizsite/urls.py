from django.contrib import admin
from django.urls import include, path

from questions.api import docs as api_docs
from questions.interviews.urls import invite_patterns
from questions.web import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/schema/", api_docs.schema, name="schema"),
    path("api/docs/", api_docs.docs, name="api-docs"),
    path("api/", include("questions.api.urls")),
    path("me/", include("questions.progress.urls")),
    path("today/", include("questions.today.urls")),
    path("accounts/", include("questions.accounts.urls")),
    path("sets/", include("questions.interviews.urls")),
    path("invite/", include(invite_patterns)),
    path("", include("questions.quality.urls")),
    path("", include("questions.urls")),
]

handler400 = "questions.web.errors.bad_request"
handler403 = "questions.web.errors.permission_denied"
handler404 = "questions.web.errors.page_not_found"
handler500 = "questions.web.errors.server_error"
