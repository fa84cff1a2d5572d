"""The site's URLs with the answer route served by the DRF view alone: what
questions/api/answer.py must answer like (tests/api/test_answer_parity.py)."""

from django.urls import path

from questions.api import views
from quizsite.urls import urlpatterns as site

urlpatterns = [
    path("api/attempts/<uuid:attempt_id>/answers/<int:position>/", views.attempt_answer),
    *site,
]
