from django.urls import path

from . import exercises, views

app_name = "api"

urlpatterns = [
    path("attempts/", views.attempt_collection, name="attempts"),
    path("attempts/<uuid:attempt_id>/", views.attempt_detail, name="attempt"),
    path(
        "attempts/<uuid:attempt_id>/answers/<int:position>/",
        views.attempt_answer,
        name="attempt_answer",
    ),
    path("attempts/<uuid:attempt_id>/finish/", views.attempt_finish, name="attempt_finish"),
    path("exercises/", exercises.exercise_kinds, name="exercises"),
    path("exercises/<str:kind>/<str:seed>/", exercises.exercise_data, name="exercise"),
    path("exercises/<str:kind>/<str:seed>/check/", exercises.exercise_check, name="exercise_check"),
]
