from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("", views.set_list, name="list"),
    path("new/", views.set_new, name="new"),
    path("import/", views.set_import, name="import"),
    path("from/<slug:curated_id>/", views.set_from_curated, name="from_curated"),
    path("questions/<slug:question_id>/", views.question_preview, name="question_preview"),
    path("<int:set_id>/", views.set_detail, name="set"),
    path("<int:set_id>/entries/", views.entry_add, name="entry_add"),
    path("<int:set_id>/entries/<int:entry_id>/move/", views.entry_move, name="entry_move"),
    path("<int:set_id>/entries/<int:entry_id>/remove/", views.entry_remove, name="entry_remove"),
    path("<int:set_id>/duplicate/", views.set_duplicate, name="duplicate"),
    path("<int:set_id>/delete/", views.set_delete, name="delete"),
    path("<int:set_id>/export/<str:fmt>/", views.set_export, name="export"),
    path("<int:set_id>/anki.apkg", views.set_anki, name="anki"),
    path("<int:set_id>/import-questions/", views.set_import_questions, name="import_questions"),
    path("<int:set_id>/invites/", views.invite_list, name="invites"),
    path("<int:set_id>/invites/<int:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("<int:set_id>/results/", views.set_results, name="results"),
    path("<int:set_id>/results.csv", views.set_results_csv, name="results_csv"),
    path("<int:set_id>/results/<uuid:attempt_id>/", views.result_detail, name="result"),
    path("<int:set_id>/grading/", views.grading_next, name="grading"),
    path("<int:set_id>/grading/<int:item_id>/", views.grading_save, name="grading_save"),
    path(
        "<int:set_id>/results/<uuid:attempt_id>/figures/<int:position>/",
        views.result_figure,
        name="result_figure",
    ),
    path(
        "<int:set_id>/results/<uuid:attempt_id>/grade/<int:position>/",
        views.result_grade,
        name="result_grade",
    ),
]

# The candidate's link lives outside /sets/: /invite/<token>/.
invite_patterns = ([path("<str:token>/", views.invite_open, name="open")], "invites")
