from django.urls import path

from . import dicom_views, exercise_views, progress_views, quiz_views, views

app_name = "questions"

urlpatterns = [
    path("", views.home, name="home"),
    path("glossary/", views.glossary_index, name="glossary_index"),
    path("glossary/<slug:term_id>/", views.glossary_term, name="glossary_term"),
    path("glossary/<slug:term_id>/hard/", progress_views.term_mark_hard, name="term_mark_hard"),
    path("questions/", views.question_list, name="question_list"),
    path("questions/<slug:question_id>/", views.question_detail, name="question_detail"),
    path("exercises/", exercise_views.exercise_list, name="exercise_list"),
    path("dicom/", dicom_views.dicom_inspector, name="dicom_inspector"),
    path("exercises/<slug:kind>/new/", exercise_views.exercise_new, name="exercise_new"),
    path(
        "exercises/dicom/<str:seed>/exercise.dcm",
        exercise_views.exercise_dicom,
        name="exercise_dicom",
    ),
    path("exercises/<slug:kind>/<str:seed>/", exercise_views.exercise_detail, name="exercise"),
    path(
        "exercises/<slug:kind>/<str:seed>/figure/",
        exercise_views.exercise_figure,
        name="exercise_figure",
    ),
    path("quizzes/", quiz_views.quiz_start_page, name="quiz_start_page"),
    path("quizzes/start/", quiz_views.quiz_start, name="quiz_start"),
    path("attempts/", quiz_views.attempt_list, name="attempt_list"),
    path("attempts/<uuid:attempt_id>/", quiz_views.attempt_detail, name="attempt"),
    path(
        "attempts/<uuid:attempt_id>/answers/<int:position>/",
        quiz_views.attempt_answer,
        name="attempt_answer",
    ),
    path("attempts/<uuid:attempt_id>/finish/", quiz_views.attempt_finish, name="attempt_finish"),
    path(
        "attempts/<uuid:attempt_id>/assess/<int:position>/",
        quiz_views.attempt_assess,
        name="attempt_assess",
    ),
]
