from django.urls import path

from . import views

app_name = "today"

urlpatterns = [
    path("", views.today, name="today"),
    path("start/", views.start, name="start"),
    path("goal/", views.goal, name="goal"),
    path("<int:position>/", views.item, name="item"),
    path("<int:position>/answer/", views.answer, name="answer"),
    path("<int:position>/reveal/", views.reveal, name="reveal"),
    path("<int:position>/rate/", views.rate, name="rate"),
    path("<int:position>/file/", views.exercise_file, name="file"),
    path("<int:position>/figure.svg", views.exercise_figure, name="figure"),
]
