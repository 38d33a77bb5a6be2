from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:student_id>/", views.card, name="card"),
]
