from django.urls import path

from . import views

app_name = "staff"

urlpatterns = [
    path("", views.index, name="index"),
    path("school/<int:school_id>/", views.school_directory, name="directory"),
    path("school/<int:school_id>/mijn-profiel/", views.edit, name="edit"),
    path("foto/<int:profile_id>/", views.photo, name="photo"),
]
