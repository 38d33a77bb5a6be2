from django.urls import path, re_path

from . import feed_views, staff_views, views

app_name = "calendar"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("maand/", views.month, name="month"),
    path("week/", views.week, name="week"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/agenda.ics", views.event_ics, name="event_ics"),
    path("nieuw/", staff_views.create, name="create"),
    path("<int:pk>/bewerken/", staff_views.edit, name="edit"),
    path("<int:pk>/annuleren/", staff_views.cancel, name="cancel"),
    path("school/<int:school_id>/vakanties/", staff_views.load_vacations, name="load_vacations"),
    path("in-mijn-agenda/", feed_views.subscribe, name="subscribe"),
    re_path(r"^feed/(?P<token>[A-Za-z0-9_-]{32,128})\.ics$", feed_views.feed, name="feed"),
]
