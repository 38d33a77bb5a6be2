from django.urls import path

from . import school_views, staff_views, views

app_name = "records"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:student_id>/", views.card, name="card"),
    path("<int:student_id>/gezin/", views.family, name="family"),
    path("<int:student_id>/medisch/", views.medical, name="medical"),
    path("<int:student_id>/facturen/", views.invoices, name="invoices"),
    path("<int:student_id>/hulpplannen/", views.plans, name="plans"),
    path("<int:student_id>/hulpplannen/<int:plan_id>/ondertekenen/", views.sign_plan, name="sign_plan"),
    path("<int:student_id>/notities/", views.notes, name="notes"),
    path("<int:student_id>/notities/<int:note_id>/reageren/", views.react, name="react"),
    path("<int:student_id>/ingezien/", views.viewed, name="viewed"),
    path("<int:student_id>/correcties/", views.correction_list, name="corrections"),
    path("<int:student_id>/correcties/<str:subject>/nieuw/", views.correction_create, name="correction_create"),
    # Staff
    path("<int:student_id>/bewerken/", staff_views.card_edit, name="card_edit"),
    path("<int:student_id>/medisch/bewerken/", staff_views.medical_edit, name="medical_edit"),
    path("<int:student_id>/facturen/nieuw/", staff_views.invoice_edit, name="invoice_create"),
    path("<int:student_id>/facturen/<int:invoice_id>/", staff_views.invoice_edit, name="invoice_edit"),
    path("<int:student_id>/hulpplannen/nieuw/", staff_views.plan_edit, name="plan_create"),
    path("<int:student_id>/hulpplannen/<int:plan_id>/bewerken/", staff_views.plan_edit, name="plan_edit"),
    path("<int:student_id>/notities/nieuw/", staff_views.note_create, name="note_create"),
    path("<int:student_id>/gezin/nieuw/", staff_views.contact_edit, name="contact_create"),
    path("<int:student_id>/gezin/<int:contact_id>/", staff_views.contact_edit, name="contact_edit"),
    path("<int:student_id>/gezin/<int:contact_id>/verwijderen/", staff_views.contact_delete, name="contact_delete"),
    path("correcties/", staff_views.queue, name="queue"),
    path("correcties/<int:request_id>/", staff_views.correction, name="correction"),
    path("correcties/<int:request_id>/verwerken/", staff_views.correction_apply, name="correction_apply"),
    path("correcties/<int:request_id>/weigeren/", staff_views.correction_refuse, name="correction_refuse"),
    path("school/<int:school_id>/instellingen/", staff_views.school_settings, name="settings"),
    path("school/<int:school_id>/importeren/", school_views.import_records, name="import"),
    path("school/<int:school_id>/notitiecategorieen/", school_views.note_categories, name="note_categories"),
    path(
        "school/<int:school_id>/notitiecategorieen/<int:category_id>/",
        school_views.note_category_edit,
        name="note_category_edit",
    ),
    path(
        "school/<int:school_id>/notitiecategorieen/<int:category_id>/verwijderen/",
        school_views.note_category_delete,
        name="note_category_delete",
    ),
    path("school/<int:school_id>/gesloten/", school_views.closed_periods, name="closed_periods"),
    path(
        "school/<int:school_id>/gesloten/<int:period_id>/", school_views.closed_period_edit, name="closed_period_edit"
    ),
    path(
        "school/<int:school_id>/gesloten/<int:period_id>/verwijderen/",
        school_views.closed_period_delete,
        name="closed_period_delete",
    ),
]
