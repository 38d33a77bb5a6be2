"""Staff keep results by hand; a failed form keeps what was typed; the group overview."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.records.results.models import MethodTest, ReportCard, ReportPeriod, StandardisedTest
from tests.factories import GuardianshipFactory, enrolled_student


def english(world, role):
    user = world.users[role]
    user.language = "en"
    user.save()
    return user


@pytest.mark.parametrize("role", ["teacher", "administration", "director", "board_admin"])
def test_staff_add_a_method_test(client, world, role):
    client.force_login(world.users[role])
    response = client.post(
        reverse("results:method_test_add", args=[world.child.pk]),
        {
            "subject": "rekenen",
            "method": "Pluspunt",
            "block": "Blok 3",
            "taken_on": "2026-11-02",
            "score_kind": "percentage",
            "score": "77",
            "norm": "70",
        },
    )
    assert response.status_code == 302
    test = MethodTest.objects.get()
    assert test.created_by == world.users[role] and test.source == "manual"


@pytest.mark.parametrize("role", ["guardian", "teacher_other_group", "board_admin_other_board"])
def test_others_cannot_open_the_forms(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("results:method_test_add", args=[world.child.pk])).status_code == 404
    assert client.get(reverse("results:standardised_test_add", args=[world.child.pk])).status_code == 404


def test_a_failed_form_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(english(world, "teacher"))
    response = client.post(
        reverse("results:method_test_add", args=[world.child.pk]),
        {
            "subject": "rekenen",
            "method": "Pluspunt typed",
            "block": "Blok 3",
            "taken_on": "2026-11-02",
            "score_kind": "grade",
            "score": "77",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Pluspunt typed"' in html and "A grade is between 1 and 10." in html
    assert MethodTest.objects.count() == 0


def test_a_standardised_result_without_level_takes_it_from_the_bands(client, world, results):
    client.force_login(world.users["teacher"])
    response = client.post(
        reverse("results:standardised_test_add", args=[world.child.pk]),
        {"test": "CITO Rekenen-Wiskunde", "moment": "m3", "taken_on": "2027-01-27", "ability_score": "47"},
    )
    assert response.status_code == 302
    assert StandardisedTest.objects.get(taken_on="2027-01-27").level == "II"


def test_a_second_result_for_the_same_moment_is_refused(client, world, results):
    client.force_login(english(world, "teacher"))
    existing = StandardisedTest.objects.get(moment="M4")
    response = client.post(
        reverse("results:standardised_test_add", args=[world.child.pk]),
        {"test": existing.test, "moment": "M4", "taken_on": existing.taken_on.isoformat(), "level": "I"},
    )
    assert response.status_code == 200
    assert "already has a result" in response.content.decode()


def test_staff_edit_and_remove_only_results_of_their_pupils(client, world, results):
    test = MethodTest.objects.first()
    client.force_login(world.users["teacher_other_group"])
    url = reverse("results:method_test_edit", args=[world.child.pk, test.pk])
    assert client.get(url).status_code == 404
    classmate = world.classmate_of_other_group
    # a test of this child reached through another pupil's address is not found either
    assert client.get(reverse("results:method_test_edit", args=[classmate.pk, test.pk])).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(url).status_code == 200
    assert client.post(reverse("results:method_test_delete", args=[world.child.pk, test.pk])).status_code == 302
    assert not MethodTest.objects.filter(pk=test.pk).exists()


def test_staff_fill_in_a_report_card_with_a_pdf_and_grades(client, world, results):
    client.force_login(world.users["teacher"])
    period = ReportPeriod.objects.create(
        school=world.school,
        school_year=results["released"].school_year,
        name="Rapport 3",
        released_on=timezone.localdate(),
    )
    url = reverse("results:report_card_form", args=[world.child.pk, period.pk])
    data = {
        "remark": "Top",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-0-subject": "Rekenen",
        "lines-0-grade": "8",
        "upload": SimpleUploadedFile("r.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    }
    assert client.post(url, data).status_code == 302
    card = ReportCard.objects.get(period=period)
    assert card.file and card.file_name == "r.pdf" and card.group == world.group3
    assert [(line.subject, line.grade) for line in card.lines.all()] == [("Rekenen", "8")]


def test_a_report_card_upload_must_be_a_pdf(client, world, results):
    client.force_login(english(world, "teacher"))
    url = reverse("results:report_card_form", args=[world.child.pk, results["released"].pk])
    data = {
        "remark": "Typed remark",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        "upload": SimpleUploadedFile("r.pdf", b"MZ not a pdf"),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "is not a PDF" in response.content.decode() and "Typed remark" in response.content.decode()


def test_a_period_of_another_school_is_404(client, world, results):
    other = ReportPeriod.objects.create(
        school=world.other_school,
        school_year=results["released"].school_year,
        name="X",
        released_on=timezone.localdate(),
    )
    client.force_login(world.users["board_admin"])
    assert client.get(reverse("results:report_card_form", args=[world.child.pk, other.pk])).status_code == 404


def test_the_office_manages_report_periods(client, world, results):
    client.force_login(english(world, "administration"))
    url = reverse("results:periods", args=[world.school.pk])
    year = results["released"].school_year
    response = client.post(url, {"school_year": year.pk, "name": "Rapport 1", "released_on": "2027-02-14"})
    assert response.status_code == 200 and "already has a period" in response.content.decode()
    response = client.post(url, {"school_year": year.pk, "name": "Rapport 3", "released_on": "2027-07-01"})
    assert response.status_code == 302
    assert ReportPeriod.objects.filter(school=world.school, name="Rapport 3").exists()


def overview_queries(client, world):
    url = reverse("results:group_overview", args=[world.group3.pk])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_the_group_overview_shows_the_latest_score_with_constant_queries(client, world, results):
    client.force_login(world.users["teacher"])
    overview_queries(client, world)
    count, response = overview_queries(client, world)
    html = response.content.decode()
    assert 'data-level="II"' in html and "M4" in html
    for n in range(5):
        pupil = enrolled_student(world.group3, first_name=f"Kind{n}")
        GuardianshipFactory(student=pupil)
        StandardisedTest.objects.create(
            student=pupil,
            test="CITO Spelling",
            moment="M3",
            school_year=results["released"].school_year,
            taken_on=timezone.localdate() - datetime.timedelta(days=1),
            level="I",
        )
    assert overview_queries(client, world)[0] == count


@pytest.mark.parametrize("role", ["guardian", "teacher_other_group", "board_admin_other_board"])
def test_the_group_overview_is_hidden_from_others(client, world, role):
    client.force_login(world.users[role])
    assert client.get(reverse("results:group_overview", args=[world.group3.pk])).status_code == 404
