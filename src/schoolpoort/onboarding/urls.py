from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("hulp/", views.help_page, name="help"),
    path("school/<int:school_id>/", views.school, name="school"),
    path("school/<int:school_id>/brieven/", views.letters, name="letters"),
    path("school/<int:school_id>/e-mail/", views.mail, name="mail"),
    path("brieven/<int:batch_id>/pdf/", views.download, name="download"),
    path("groep/<int:group_id>/", views.group, name="group"),
    path("ouder/<int:slot_id>/e-mailadres/", views.change_email, name="change_email"),
]
