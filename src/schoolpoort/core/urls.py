from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("<int:school_id>/modules/", views.modules, name="modules"),
    path("<int:school_id>/modules/<slug:module>/uit/", views.module_off, name="module_off"),
    path("<int:school_id>/modules/<slug:module>/aan/", views.module_on, name="module_on"),
    path("<int:school_id>/modules/gesloten/<int:closure_id>/verwijderen/", views.delete_closure, name="delete_closure"),
]
