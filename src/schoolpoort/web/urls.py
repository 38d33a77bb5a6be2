from django.urls import path

from . import pwa, search, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("meer/", views.more, name="more"),
    path("offline/", views.offline, name="offline"),
    path("zoeken/", search.search, name="search"),
    path("taal/", views.switch_language, name="set_language"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
]
