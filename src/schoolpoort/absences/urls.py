from django.urls import path

from . import leave_views, staff_views, views

app_name = "absences"

urlpatterns = [
    path("", views.index, name="index"),
    path("melden/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/beter/", views.better, name="better"),
    path("<int:pk>/bevestigen/", views.confirm, name="confirm"),
    path("leerling/<int:student_id>/", views.student_history, name="student"),
    path("groep/<int:group_id>/", staff_views.group_today, name="group_today"),
    path("groep/<int:group_id>/leerling/<int:student_id>/afwezig/", staff_views.mark, name="mark"),
    path("school/<int:school_id>/", staff_views.school_today, name="school_today"),
    path("school/<int:school_id>/registreren/", staff_views.register, name="register"),
    path("school/<int:school_id>/export/", staff_views.export, name="export"),
    path("school/<int:school_id>/instellingen/", staff_views.school_settings, name="settings"),
    path("school/<int:school_id>/verlof/", leave_views.school_list, name="leave_list"),
    path("verlof/aanvragen/", leave_views.create, name="leave_create"),
    path("verlof/<int:pk>/", leave_views.detail, name="leave_detail"),
    path("verlof/<int:pk>/verklaring/", leave_views.attachment, name="leave_attachment"),
    path("verlof/<int:pk>/intrekken/", leave_views.withdraw, name="leave_withdraw"),
    path("verlof/<int:pk>/beslissen/", leave_views.decide, name="leave_decide"),
]
