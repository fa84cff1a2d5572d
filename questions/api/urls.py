from django.urls import path

from . import answer, dicom, exercises, me, sets, views

app_name = "api"

urlpatterns = [
    path("attempts/", views.attempt_collection, name="attempts"),
    path("attempts/<uuid:attempt_id>/", views.attempt_detail, name="attempt"),
    path(
        "attempts/<uuid:attempt_id>/answers/<int:position>/",
        answer.attempt_answer,  # the DRF view's, for the usual request (see answer.py)
        name="attempt_answer",
    ),
    path("attempts/<uuid:attempt_id>/finish/", views.attempt_finish, name="attempt_finish"),
    path("me/progress/", me.my_progress, name="my_progress"),
    path("me/history/", me.my_history, name="my_history"),
    path("me/review/", me.my_review, name="my_review"),
    path("me/review/<int:card_id>/", me.my_review_grade, name="my_review_grade"),
    path("me/review/<int:card_id>/reveal/", me.my_review_reveal, name="my_review_reveal"),
    path("sets/", sets.SetList.as_view(), name="sets"),
    path("sets/<int:pk>/", sets.SetDetail.as_view(), name="set"),
    path("sets/<int:set_id>/entries/", sets.EntryList.as_view(), name="set_entries"),
    path("sets/<int:set_id>/entries/<int:entry_id>/", sets.EntryDetail.as_view(), name="set_entry"),
    path("sets/<int:set_id>/invites/", sets.InviteList.as_view(), name="set_invites"),
    path("sets/<int:set_id>/results/", sets.SetResults.as_view(), name="set_results"),
    path("dicom/inspect/", dicom.dicom_inspect, name="dicom_inspect"),
    path("exercises/", exercises.exercise_kinds, name="exercises"),
    path("exercises/<str:kind>/<str:seed>/", exercises.exercise_data, name="exercise"),
    path("exercises/<str:kind>/<str:seed>/check/", exercises.exercise_check, name="exercise_check"),
]
