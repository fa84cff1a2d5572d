from django.urls import path

from . import views

app_name = "progress"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("history.svg", views.history_svg, name="history_svg"),
    path("review/", views.review_queue, name="review"),
    path("review/<int:card_id>/", views.review_grade, name="review_grade"),
    path("review/<int:card_id>/reveal/", views.review_reveal, name="review_reveal"),
    path("progress.csv", views.progress_csv, name="csv"),
]

# On the glossary's pages, under the site's "questions" namespace (questions/urls.py).
glossary_patterns = [
    path("glossary/<slug:term_id>/hard/", views.term_mark_hard, name="term_mark_hard"),
]
