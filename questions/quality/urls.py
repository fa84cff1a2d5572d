from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("questions/<slug:question_id>/flag/", views.flag_question, name="flag_question"),
    path("attempts/<uuid:attempt_id>/flag/<int:position>/", views.flag_item, name="flag_item"),
    path("staff/item-statistics/", views.item_statistics, name="item_statistics"),
]
