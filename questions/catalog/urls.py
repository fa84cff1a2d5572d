from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary_index, name="glossary_index"),
    path("glossary/<slug:term_id>/", views.glossary_term, name="glossary_term"),
    path("questions/", views.question_list, name="question_list"),
    path("quizzes/filtered/", views.question_list_quiz, name="question_list_quiz"),
    path("questions/<slug:question_id>/", views.question_detail, name="question_detail"),
    path("anki/", views.anki_decks, name="anki_decks"),
    path("anki/glossary.apkg", views.anki_download, {"kind": "glossary"}, name="anki_glossary"),
    path("anki/topics/<slug:slug>.apkg", views.anki_download, {"kind": "topic"}, name="anki_topic"),
    path("anki/sets/<slug:slug>.apkg", views.anki_download, {"kind": "set"}, name="anki_set"),
]
