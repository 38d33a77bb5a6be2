from django.urls import path

from . import consent_views, file_views, upload_views, views

app_name = "albums"

photo = "<int:album_id>/foto/<int:photo_id>/"

urlpatterns = [
    path("", views.album_list, name="list"),
    path("nieuw/", views.create, name="create"),
    path("toestemming/", consent_views.guardian_consent, name="consent"),
    path("toestemming/groepen/", consent_views.staff_overview, name="consent_groups"),
    path("toestemming/groepen/<int:group_id>/", consent_views.group_overview, name="consent_group"),
    path("<int:album_id>/", views.detail, name="detail"),
    path("<int:album_id>/bewerken/", views.edit, name="edit"),
    path("<int:album_id>/publiceren/", views.publish, name="publish"),
    path("<int:album_id>/verwijderen/", views.delete, name="delete"),
    path("<int:album_id>/uploaden/", upload_views.upload, name="upload"),
    path("<int:album_id>/album.zip", file_views.album_zip, name="zip"),
    path(photo, views.photo, name="photo"),
    path(f"{photo}kinderen/", upload_views.tags, name="tags"),
    path(f"{photo}verwijderen/", views.delete_photo, name="delete_photo"),
    path(f"{photo}klein.jpg", file_views.thumb, name="thumb"),
    path(f"{photo}groot.jpg", file_views.web, name="web"),
    path(f"{photo}video", file_views.original, name="original"),
    path(f"{photo}download", file_views.download, name="download"),
]
