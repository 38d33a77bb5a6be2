from django.urls import path

from . import views

app_name = "timetable"

urlpatterns = [
    path("", views.index, name="index"),
    path("groep/<int:group_id>/", views.group_week, name="group"),
    path("groep/<int:group_id>/nieuw/", views.create, name="create"),
    path("<int:entry_id>/bewerken/", views.edit, name="edit"),
    path("<int:entry_id>/verwijderen/", views.delete, name="delete"),
]
