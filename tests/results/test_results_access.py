"""Who sees a child's results: each visibility rule per role (release date, closed period, part off,
module off, the guardian without parental authority) and 404 for everyone else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import ClosedPeriod, Part

PAGES = ["results:report_cards", "results:method_tests", "results:standardised_tests"]
READERS = ["guardian", "other_guardian", "teacher", "administration", "director", "board_admin"]
OUTSIDERS = ["guardian_other_group", "guardian_other_school", "teacher_other_group", "board_admin_other_board"]


def get(client, world, role, name, student=None):
    client.force_login(world.users[role])
    return client.get(reverse(name, args=[(student or world.child).pk]))


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", READERS)
def test_the_child_s_guardians_and_staff_see_the_results(client, world, results, role, name):
    response = get(client, world, role, name)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", OUTSIDERS)
def test_it_hides_from_outsiders(client, world, results, role, name):
    assert get(client, world, role, name).status_code == 404


def test_anonymous_is_sent_to_login(client, world, results):
    response = client.get(reverse("results:report_cards", args=[world.child.pk]))
    assert response.status_code == 302


def test_guardians_see_report_cards_only_from_the_release_date(client, world, results):
    page = get(client, world, "guardian", "results:report_cards").content.decode()
    assert f'id="report-card-{results["card"].pk}"' in page
    assert f'id="report-card-{results["hidden"].pk}"' not in page
    assert "Nog geheim" not in page


@pytest.mark.parametrize("role", ["teacher", "administration", "director", "board_admin"])
def test_staff_see_report_cards_before_the_release_date(client, world, results, role):
    page = get(client, world, role, "results:report_cards").content.decode()
    assert f'id="report-card-{results["hidden"].pk}"' in page
    assert "data-unreleased" in page


def test_the_release_day_itself_shows_the_card(client, world, results):
    results["future"].released_on = timezone.localdate()
    results["future"].save()
    page = get(client, world, "guardian", "results:report_cards").content.decode()
    assert f'id="report-card-{results["hidden"].pk}"' in page


@pytest.mark.parametrize("name", PAGES)
def test_a_closed_period_hides_the_results_from_guardians_but_not_from_staff(client, world, results, name):
    today = timezone.localdate()
    ClosedPeriod.objects.create(
        school=world.school,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=3),
        parts=[Part.REPORT_CARDS, Part.METHOD_TESTS, Part.STANDARDISED_TESTS],
    )
    assert get(client, world, "guardian", name).status_code == 404
    assert get(client, world, "other_guardian", name).status_code == 404
    assert get(client, world, "teacher", name).status_code == 200
    assert get(client, world, "administration", name).status_code == 200


def test_a_closed_period_that_has_ended_hides_nothing(client, world, results):
    today = timezone.localdate()
    ClosedPeriod.objects.create(
        school=world.school, starts_on=today - datetime.timedelta(days=9), ends_on=today - datetime.timedelta(days=1)
    )
    assert get(client, world, "guardian", "results:report_cards").status_code == 200


def test_a_closed_period_of_one_part_leaves_the_others_open(client, world, results):
    today = timezone.localdate()
    ClosedPeriod.objects.create(school=world.school, starts_on=today, ends_on=today, parts=[Part.REPORT_CARDS])
    assert get(client, world, "guardian", "results:report_cards").status_code == 404
    assert get(client, world, "guardian", "results:standardised_tests").status_code == 200


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", ["guardian", "teacher", "director"])
def test_a_part_switched_off_is_gone_for_everyone(client, world, results, name, role):
    settings = settings_for(world.school)
    part = {
        "results:report_cards": Part.REPORT_CARDS,
        "results:method_tests": Part.METHOD_TESTS,
        "results:standardised_tests": Part.STANDARDISED_TESTS,
    }[name]
    settings.parts_on = [p for p in settings.parts_on if p != part]
    settings.save()
    assert get(client, world, role, name).status_code == 404


@pytest.mark.parametrize("role", ["guardian", "teacher", "director"])
def test_the_records_module_switched_off_hides_the_results(client, world, results, role):
    ModuleSwitch.objects.filter(school=world.school, module="records").update(enabled=False)
    assert get(client, world, role, "results:standardised_tests").status_code == 404


def test_the_records_module_closed_hides_the_results_from_guardians(client, world, results):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="records", starts_on=today, ends_on=today)
    assert get(client, world, "guardian", "results:standardised_tests").status_code == 404
    assert get(client, world, "teacher", "results:standardised_tests").status_code == 200


def test_a_guardian_without_parental_authority_sees_what_the_school_allows_and_no_more(client, world, results):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.CARD, Part.REPORT_CARDS]
    settings.save()
    assert get(client, world, "other_guardian", "results:report_cards").status_code == 200
    assert get(client, world, "other_guardian", "results:method_tests").status_code == 404
    assert get(client, world, "other_guardian", "results:standardised_tests").status_code == 404
    # the release date holds for them too, and the file of an unreleased card stays hidden
    page = get(client, world, "other_guardian", "results:report_cards").content.decode()
    assert f'id="report-card-{results["hidden"].pk}"' not in page
    # the guardian with authority still sees everything
    assert get(client, world, "guardian", "results:method_tests").status_code == 200


def test_a_guardian_without_parental_authority_and_nothing_allowed_sees_no_results(client, world, results):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.CARD]
    settings.save()
    for name in PAGES:
        assert get(client, world, "other_guardian", name).status_code == 404


def test_a_child_that_does_not_exist_is_404(client, world, results):
    client.force_login(world.users["director"])
    for name in PAGES:
        assert client.get(reverse(name, args=[999999])).status_code == 404


@pytest.fixture
def card_with_pdf(results):
    from django.core.files.base import ContentFile

    for key in ("card", "hidden"):
        card = results[key]
        card.file_name = "rapport.pdf"
        card.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return results


def file_status(client, world, role, card):
    client.force_login(world.users[role])
    return client.get(reverse("results:report_card_file", args=[card.pk])).status_code


@pytest.mark.parametrize("role", READERS)
def test_the_pdf_of_a_released_card_is_sent_to_its_readers(client, world, card_with_pdf, role):
    assert file_status(client, world, role, card_with_pdf["card"]) == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_the_pdf_is_hidden_from_outsiders(client, world, card_with_pdf, role):
    assert file_status(client, world, role, card_with_pdf["card"]) == 404


def test_the_pdf_of_an_unreleased_card_is_hidden_from_guardians_only(client, world, card_with_pdf):
    assert file_status(client, world, "guardian", card_with_pdf["hidden"]) == 404
    assert file_status(client, world, "teacher", card_with_pdf["hidden"]) == 200


def test_the_pdf_is_hidden_in_a_closed_period(client, world, card_with_pdf):
    today = timezone.localdate()
    ClosedPeriod.objects.create(school=world.school, starts_on=today, ends_on=today, parts=[Part.REPORT_CARDS])
    assert file_status(client, world, "guardian", card_with_pdf["card"]) == 404
    assert file_status(client, world, "administration", card_with_pdf["card"]) == 200
