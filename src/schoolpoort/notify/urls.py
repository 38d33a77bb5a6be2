from django.urls import path

from . import push_views, views

app_name = "notify"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/", views.open_notification, name="open"),
    path("alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("voorkeuren/", views.preferences, name="preferences"),
    path("apparaten/<int:device_id>/", views.device, name="device"),
    path("school/<int:school_id>/stille-uren/", views.quiet_hours, name="quiet_hours"),
    path("afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("push/sleutel/", push_views.vapid_key, name="vapid_key"),
    path("push/aanmelden/", push_views.push_subscribe, name="push_subscribe"),
    path("push/afmelden/", push_views.push_unsubscribe, name="push_unsubscribe"),
]
