from django.urls import path

from . import views

urlpatterns = [
    path("quizzes/", views.quiz_start_page, name="quiz_start_page"),
    path("quizzes/start/", views.quiz_start, name="quiz_start"),
    path("attempts/", views.attempt_list, name="attempt_list"),
    path("attempts/<uuid:attempt_id>/", views.attempt_detail, name="attempt"),
    path(
        "attempts/<uuid:attempt_id>/answers/<int:position>/",
        views.attempt_answer,
        name="attempt_answer",
    ),
    path("attempts/<uuid:attempt_id>/start/", views.attempt_begin, name="attempt_begin"),
    path("attempts/<uuid:attempt_id>/layout/", views.attempt_layout, name="attempt_layout"),
    path("attempts/<uuid:attempt_id>/finish/", views.attempt_finish, name="attempt_finish"),
    path("attempts/<uuid:attempt_id>/retry/", views.attempt_retry, name="attempt_retry"),
    path(
        "attempts/<uuid:attempt_id>/figures/<int:position>/",
        views.attempt_exercise_figure,
        name="attempt_exercise_figure",
    ),
    path(
        "attempts/<uuid:attempt_id>/files/<int:position>/exercise.dcm",
        views.attempt_exercise_file,
        name="attempt_exercise_file",
    ),
    # Any other exercise's file (.nii.gz, a zipped series), named by Content-Disposition.
    path(
        "attempts/<uuid:attempt_id>/files/<int:position>/",
        views.attempt_exercise_file,
        name="attempt_file",
    ),
    path(
        "attempts/<uuid:attempt_id>/assess/<int:position>/",
        views.attempt_assess,
        name="attempt_assess",
    ),
]
