from django.urls import path

from . import views

urlpatterns = [
    path("exercises/", views.exercise_list, name="exercise_list"),
    path("dicom/", views.dicom_inspector, name="dicom_inspector"),
    path("exercises/<slug:kind>/new/", views.exercise_new, name="exercise_new"),
    path("exercises/dicom/<str:seed>/exercise.dcm", views.exercise_dicom, name="exercise_dicom"),
    path("exercises/<slug:kind>/<str:seed>/file/", views.exercise_file, name="exercise_file"),
    path("exercises/<slug:kind>/<str:seed>/", views.exercise_detail, name="exercise"),
    path("exercises/<slug:kind>/<str:seed>/figure/", views.exercise_figure, name="exercise_figure"),
]
