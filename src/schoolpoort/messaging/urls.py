from django.urls import path

from . import school_views, views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("postvak/nieuw/", views.inbox_poll, name="inbox_poll"),
    path("nieuw/", views.compose, name="compose"),
    path("zoeken/", views.search, name="search"),
    path("<int:conversation_id>/", views.conversation, name="conversation"),
    path("<int:conversation_id>/nieuw/", views.poll, name="poll"),
    path("<int:conversation_id>/bijlagen/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:conversation_id>/bijlagen/<int:attachment_id>/kinderen/", views.tag_image, name="tag_image"),
    path("<int:conversation_id>/dempen/", views.mute, name="mute"),
    path("<int:conversation_id>/melden/", views.report, name="report"),
    path("<int:conversation_id>/sluiten/", views.close, name="close"),
    path("<int:conversation_id>/exporteren/", views.export_conversation, name="export_conversation"),
    path("contact-met-ouders/", school_views.contact_settings, name="contact_settings"),
    path("school/<int:school_id>/instellingen/", school_views.school_settings, name="school_settings"),
    path("school/<int:school_id>/gesprekken/", school_views.school_conversations, name="school_conversations"),
    path("school/<int:school_id>/meldingen/", school_views.reports, name="reports"),
    path("meldingen/<int:report_id>/afgehandeld/", school_views.report_handled, name="report_handled"),
    path("school/<int:school_id>/exporteren/", school_views.export_school, name="export_school"),
    path("school/<int:school_id>/bereikbaarheid/", school_views.availability, name="availability"),
]
