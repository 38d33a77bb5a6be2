from django.urls import path

from . import reaction_views, views

app_name = "news"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("nieuw/", views.create, name="create"),
    path("afbeeldingen/", views.upload_image, name="upload_image"),
    path("afbeeldingen/concept/<int:upload_id>/", views.draft_image, name="draft_image"),
    path("<int:post_id>/", views.detail, name="detail"),
    path("<int:post_id>/bewerken/", views.edit, name="edit"),
    path("<int:post_id>/verwijderen/", views.delete, name="delete"),
    path("<int:post_id>/gelezen/", views.stats, name="stats"),
    path("<int:post_id>/reageren/", reaction_views.react, name="react"),
    path("school/<int:school_id>/instellingen/", reaction_views.school_settings, name="school_settings"),
    path("<int:post_id>/bijlagen/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:post_id>/bijlagen/<int:attachment_id>/kinderen/", views.tag_image, name="tag_image"),
]
