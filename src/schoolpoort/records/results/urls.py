from django.urls import path

from . import school_views, staff_views, views

app_name = "results"

urlpatterns = [
    # The three parts of a child's records (the names are fixed by records.access.PART_URL_NAMES).
    path("<int:student_id>/rapporten/", views.report_cards, name="report_cards"),
    path("<int:student_id>/methodetoetsen/", views.method_tests, name="method_tests"),
    path("<int:student_id>/toetsen/", views.standardised_tests, name="standardised_tests"),
    path("rapport/<int:card_id>/bestand/", views.report_card_file, name="report_card_file"),
    path("groep/<int:group_id>/", views.group_overview, name="group_overview"),
    # Staff keep them by hand.
    path("<int:student_id>/rapporten/<int:period_id>/", staff_views.report_card_form, name="report_card_form"),
    path("<int:student_id>/methodetoetsen/nieuw/", staff_views.method_test_form, name="method_test_add"),
    path("<int:student_id>/methodetoetsen/<int:test_id>/", staff_views.method_test_form, name="method_test_edit"),
    path(
        "<int:student_id>/methodetoetsen/<int:test_id>/verwijderen/",
        staff_views.method_test_delete,
        name="method_test_delete",
    ),
    path("<int:student_id>/toetsen/nieuw/", staff_views.standardised_test_form, name="standardised_test_add"),
    path("<int:student_id>/toetsen/<int:test_id>/", staff_views.standardised_test_form, name="standardised_test_edit"),
    path(
        "<int:student_id>/toetsen/<int:test_id>/verwijderen/",
        staff_views.standardised_test_delete,
        name="standardised_test_delete",
    ),
    # The school office.
    path("school/<int:school_id>/rapportperiodes/", school_views.periods, name="periods"),
    path("school/<int:school_id>/rapportperiodes/<int:period_id>/", school_views.periods, name="period_edit"),
    path("school/<int:school_id>/import/", school_views.import_results, name="import"),
]
