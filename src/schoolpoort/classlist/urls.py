from django.urls import path

from . import views

app_name = "classlist"

urlpatterns = [
    path("", views.index, name="index"),
    path("wat-ik-deel/", views.privacy, name="privacy"),
    path("<int:group_id>/", views.group_list, name="group"),
    path("<int:group_id>/afdrukken/", views.print_list, name="print"),
    path("school/<int:school_id>/instellingen/", views.school_settings, name="settings"),
]
