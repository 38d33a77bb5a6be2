from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("school/<int:school_id>/", views.index, name="index"),
    path("school/<int:school_id>/<int:run_id>/", views.run_detail, name="run"),
    path("school/<int:school_id>/<int:run_id>/bestand/", views.run_file, name="file"),
]
