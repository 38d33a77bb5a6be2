from django.urls import path

from . import staff_views, views

app_name = "conferences"

urlpatterns = [
    path("", views.round_list, name="list"),
    path("nieuw/", staff_views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/boeken/", views.book, name="book"),
    path("<int:pk>/boekingen/<int:booking_id>/wijzigen/", views.change, name="change"),
    path("<int:pk>/boekingen/<int:booking_id>/annuleren/", views.cancel, name="cancel"),
    path("<int:pk>/voorkeur/", views.preferences, name="preferences"),
    path("<int:pk>/bewerken/", staff_views.edit, name="edit"),
    path("<int:pk>/tijden/nieuw/", staff_views.add_session, name="add_session"),
    path("<int:pk>/tijden/<int:session_id>/verwijderen/", staff_views.delete_session, name="delete_session"),
    path("<int:pk>/rooster/", staff_views.schedule, name="schedule"),
    path("<int:pk>/rooster/<int:slot_id>/blokkeren/", staff_views.toggle_block, name="toggle_block"),
    path("<int:pk>/rooster/<str:day>/", staff_views.day_list, name="day_list"),
    path("<int:pk>/rooster/<str:day>/export.csv", staff_views.day_csv, name="day_csv"),
    path("<int:pk>/leerlingen/", staff_views.pupils, name="pupils"),
    path("<int:pk>/leerlingen/markeren/", staff_views.mark, name="mark"),
    path("<int:pk>/leerlingen/<int:student_id>/inplannen/", staff_views.place, name="place"),
]
