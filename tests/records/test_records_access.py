"""The shared access pieces of the records: who sees which child, which parts, closed periods,
guardians without parental authority, the module switch, the audit of staff views, no-store."""

import datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from schoolpoort.core.audit import Reads
from schoolpoort.core.models import AuditEntry, Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.records.access import (
    child_nav,
    is_staff_for,
    note_staff_read,
    record_students_visible_to,
    settings_for,
    student_for_part_or_404,
    visible_parts,
)
from schoolpoort.records.models import ALL_PARTS, ClosedPeriod, Part

TODAY = datetime.date.today()
SEES_CHILD = ["guardian", "other_guardian", "teacher", "administration", "director", "board_admin"]
NOT_CHILD = ["guardian_other_group", "guardian_other_school", "teacher_other_group", "board_admin_other_board"]


@pytest.mark.parametrize("role", SEES_CHILD)
def test_who_sees_the_childs_records(world, role):
    assert record_students_visible_to(world.users[role]).filter(pk=world.child.pk).exists()
    assert student_for_part_or_404(world.users[role], world.child.pk, Part.CARD) == world.child


@pytest.mark.parametrize("role", [*NOT_CHILD, "anonymous"])
def test_who_does_not_see_the_childs_records(world, role):
    assert not record_students_visible_to(world.users[role]).filter(pk=world.child.pk).exists()
    with pytest.raises(Http404):
        student_for_part_or_404(world.users[role], world.child.pk, Part.CARD)


def test_an_archived_child_is_gone_for_everyone(world):
    from django.utils import timezone

    world.child.archived_at = timezone.now()
    world.child.save()
    for role in SEES_CHILD:
        with pytest.raises(Http404):
            student_for_part_or_404(world.users[role], world.child.pk, Part.CARD)


def test_the_card_is_always_on_and_other_parts_follow_the_settings(world):
    settings = settings_for(world.school)
    settings.parts_on = []
    settings.save()
    world.school._records_settings = None
    guardian = world.users["guardian"]
    assert student_for_part_or_404(guardian, world.child.pk, Part.CARD)
    for part in set(ALL_PARTS) - {Part.CARD}:
        with pytest.raises(Http404):
            student_for_part_or_404(guardian, world.child.pk, part)


@pytest.mark.parametrize("role", SEES_CHILD)
def test_records_module_switched_off_hides_everything(world, role):
    ModuleSwitch.objects.filter(school=world.school, module="records").update(enabled=False)
    with pytest.raises(Http404):
        student_for_part_or_404(world.users[role], world.child.pk, Part.CARD)


def test_a_closed_module_stops_guardians_not_staff(world):
    ModuleClosure.objects.create(school=world.school, module="records", starts_on=TODAY, ends_on=TODAY)
    with pytest.raises(Http404):
        student_for_part_or_404(world.users["guardian"], world.child.pk, Part.CARD)
    assert student_for_part_or_404(world.users["teacher"], world.child.pk, Part.CARD)


@pytest.mark.parametrize("role", ["guardian", "other_guardian"])
def test_a_closed_period_closes_its_parts_to_guardians(world, role):
    ClosedPeriod.objects.create(
        school=world.school, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=3), parts=[Part.NOTES]
    )
    with pytest.raises(Http404):
        student_for_part_or_404(world.users[role], world.child.pk, Part.NOTES)
    assert student_for_part_or_404(world.users[role], world.child.pk, Part.CARD)


def test_a_closed_period_is_over_the_day_after(world):
    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY)
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(Http404):
        student_for_part_or_404(world.users["guardian"], world.child.pk, Part.NOTES, today=TODAY)
    assert student_for_part_or_404(world.users["guardian"], world.child.pk, Part.NOTES, today=tomorrow)


@pytest.mark.parametrize("role", ["teacher", "administration", "director", "board_admin"])
def test_staff_are_never_stopped_by_a_closed_period(world, role):
    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY)
    for part in ALL_PARTS:
        assert student_for_part_or_404(world.users[role], world.child.pk, part)


def test_a_closed_period_of_another_school_changes_nothing(world):
    ClosedPeriod.objects.create(school=world.sister_school, starts_on=TODAY, ends_on=TODAY)
    assert student_for_part_or_404(world.users["guardian"], world.child.pk, Part.NOTES)


def test_a_guardian_without_authority_sees_what_the_school_allows_and_no_more(world):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    without, with_authority = world.users["other_guardian"], world.users["guardian"]
    default_open = {Part.CARD, Part.REPORT_CARDS, Part.METHOD_TESTS, Part.STANDARDISED_TESTS}
    assert set(visible_parts(without, world.child)) == default_open
    assert set(visible_parts(with_authority, world.child)) == set(ALL_PARTS)
    for part in set(ALL_PARTS) - default_open:
        with pytest.raises(Http404):
            student_for_part_or_404(without, world.child.pk, part)

    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.CARD, Part.INVOICES]
    settings.save()
    assert student_for_part_or_404(without, world.child.pk, Part.INVOICES)
    with pytest.raises(Http404):
        student_for_part_or_404(without, world.child.pk, Part.REPORT_CARDS)


def test_is_staff_for(world):
    users = world.users
    assert is_staff_for(users["teacher"], world.child)
    assert is_staff_for(users["administration"], world.child)
    assert is_staff_for(users["board_admin"], world.child)
    assert not is_staff_for(users["teacher_other_group"], world.child)
    assert not is_staff_for(users["guardian"], world.child)


def _read(user, student, part):
    request = RequestFactory().get("/")
    request.user, request.reads = user, Reads(user)
    note_staff_read(request, student, part)
    request.reads.write()


@pytest.mark.parametrize("part", list(Part))
def test_staff_opening_any_part_is_audited(world, part):
    _read(world.users["teacher"], world.child, part)
    entry = AuditEntry.objects.get(action="records.view")
    assert entry.actor == world.users["teacher"]
    assert entry.object_id == str(world.child.pk)
    assert entry.detail == {"part": part}
    assert entry.school == world.school


def test_guardians_reading_their_own_child_are_not_audited(world):
    _read(world.users["guardian"], world.child, Part.MEDICAL)
    _read(world.users["guardian"], world.child, Part.CARD)
    assert not AuditEntry.objects.filter(action="records.view").exists()


def test_child_nav_lists_the_visible_parts_with_links(world, django_assert_max_num_queries):
    student = student_for_part_or_404(world.users["guardian"], world.child.pk, Part.CARD)
    with django_assert_max_num_queries(0):
        nav = child_nav(world.users["guardian"], student, Part.CARD)
    assert nav["student"] == student
    assert nav["parts"][0]["part"] == Part.CARD and nav["parts"][0]["current"]
    assert nav["parts"][0]["url"] == reverse("records:card", args=[student.pk])


def test_record_pages_are_not_stored(client, world):
    client.force_login(world.users["guardian"])
    response = client.get(reverse("records:card", args=[world.child.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Noor" in response.content.decode()
