from django.urls import path

from . import views

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
]
