"""The project's URLs plus the accounts URLs, for as long as quizsite.urls lacks them."""

from django.urls import include, path

from quizsite.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("accounts/", include("questions.accounts.urls")),
    *project_urlpatterns,
]
