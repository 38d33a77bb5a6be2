from django.urls import path

from . import manage_views, upload_views, views

app_name = "documents"

urlpatterns = [
    path("", views.bookshelf, name="list"),
    path("kast/<int:shelf_id>/", views.shelf, name="shelf"),
    path("kast/<int:shelf_id>/map/<int:folder_id>/", views.folder, name="folder"),
    path("<int:document_id>/", views.detail, name="detail"),
    path("<int:document_id>/bestand/", views.current_file, name="file"),
    path("<int:document_id>/versies/<int:version_id>/", views.version_file, name="version"),
    path("<int:document_id>/versies/<int:version_id>/kinderen/", upload_views.tag_image, name="tag_image"),
    # Staff: shelves and folders
    path("school/<int:school_id>/nieuwe-kast/", manage_views.shelf_create, name="shelf_create"),
    path("kast/<int:shelf_id>/bewerken/", manage_views.shelf_edit, name="shelf_edit"),
    path("kast/<int:shelf_id>/verwijderen/", manage_views.shelf_delete, name="shelf_delete"),
    path("kast/<int:shelf_id>/nieuwe-map/", manage_views.folder_create, name="folder_create"),
    path("kast/<int:shelf_id>/map/<int:folder_id>/bewerken/", manage_views.folder_edit, name="folder_edit"),
    path("kast/<int:shelf_id>/map/<int:folder_id>/verwijderen/", manage_views.folder_delete, name="folder_delete"),
    # Staff: documents
    path("kast/<int:shelf_id>/toevoegen/", upload_views.upload, name="upload"),
    path("<int:document_id>/vervangen/", upload_views.replace, name="replace"),
    path("<int:document_id>/bewerken/", upload_views.edit, name="edit"),
    path("<int:document_id>/verwijderen/", upload_views.delete, name="delete"),
]
