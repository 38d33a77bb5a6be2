"""The rows of each part of the records through their manager alone (``Note.objects.visible_to``
and so on): the module, a closed period, parental authority and what guardians see of a part
(plans from a date, notes of open categories from a date, no cancelled invoices) hold without a
view asking ``student_for_part_or_404`` first."""

import datetime

import pytest

from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import (
    ClosedPeriod,
    Contact,
    Invoice,
    MedicalInfo,
    Note,
    Part,
    StudentCard,
    SupportPlan,
)
from tests.records.helpers import TODAY, fill_records

MODELS = {
    Part.CARD: StudentCard,
    Part.FAMILY: Contact,
    Part.MEDICAL: MedicalInfo,
    Part.INVOICES: Invoice,
    Part.PLANS: SupportPlan,
    Part.NOTES: Note,
}
GUARDIANS = ["guardian", "other_guardian"]
STAFF = ["teacher", "administration", "director", "board_admin"]
OUTSIDERS = ["guardian_other_group", "guardian_other_school", "teacher_other_group", "board_admin_other_board"]


@pytest.fixture
def rows(world):
    filled = fill_records(world)
    Contact.objects.create(student=world.child, name="Oma Jansen", relation="oma")
    Invoice.objects.create(student=world.child, description="Vervallen", amount="5", status=Invoice.Status.CANCELLED)
    return filled


def _visible(world, role, part):
    return MODELS[part].objects.visible_to(world.users[role]).filter(student=world.child)


@pytest.mark.parametrize("part", list(MODELS))
@pytest.mark.parametrize("role", [*GUARDIANS, *STAFF])
def test_the_child_s_guardians_and_staff_see_rows_of_every_part(world, rows, role, part):
    assert _visible(world, role, part).exists()


@pytest.mark.parametrize("part", list(MODELS))
@pytest.mark.parametrize("role", [*OUTSIDERS, "anonymous"])
def test_outsiders_see_no_rows(world, rows, role, part):
    assert not _visible(world, role, part).exists()


@pytest.mark.parametrize("role", GUARDIANS)
def test_a_closed_period_hides_its_parts_from_guardians(world, rows, role):
    ClosedPeriod.objects.create(school=world.school, starts_on=TODAY, ends_on=TODAY, parts=[Part.NOTES, Part.MEDICAL])
    assert not _visible(world, role, Part.NOTES).exists()
    assert not _visible(world, role, Part.MEDICAL).exists()
    assert _visible(world, role, Part.PLANS).exists()
    assert _visible(world, "teacher", Part.NOTES).exists()


def test_without_parental_authority_only_what_the_school_opens(world, rows):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    assert _visible(world, "other_guardian", Part.CARD).exists()
    for part in (Part.FAMILY, Part.MEDICAL, Part.INVOICES, Part.PLANS, Part.NOTES):
        assert not _visible(world, "other_guardian", part).exists()
    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.INVOICES]
    settings.save()
    assert _visible(world, "other_guardian", Part.INVOICES).exists()
    assert not _visible(world, "other_guardian", Part.CARD).exists()
    assert _visible(world, "guardian", Part.NOTES).exists()


@pytest.mark.parametrize("state", ["switched off", "closed today"])
def test_the_module_off_or_closed(world, rows, state):
    if state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module="records").update(enabled=False)
    else:
        ModuleClosure.objects.create(school=world.school, module="records", starts_on=TODAY, ends_on=TODAY)
    for part in MODELS:
        assert not _visible(world, "guardian", part).exists()
        assert _visible(world, "director", part).exists() == (state == "closed today")


def test_guardians_see_plans_and_notes_from_the_school_s_dates_on_and_staff_all(world, rows):
    settings = settings_for(world.school)
    settings.plans_visible_from = TODAY - datetime.timedelta(days=30)
    settings.notes_visible_from = TODAY - datetime.timedelta(days=30)
    settings.save()
    assert set(_visible(world, "guardian", Part.PLANS)) == {rows["new_plan"]}
    assert set(_visible(world, "guardian", Part.NOTES)) == {rows["open_note"]}  # not internal, not old
    assert set(_visible(world, "teacher", Part.PLANS)) == {rows["old_plan"], rows["new_plan"]}
    assert set(_visible(world, "teacher", Part.NOTES)) == {rows["open_note"], rows["closed_note"], rows["old_note"]}


def test_notes_of_a_closed_category_stay_internal_without_dates(world, rows):
    assert set(_visible(world, "guardian", Part.NOTES)) == {rows["open_note"], rows["old_note"]}


def test_guardians_never_see_cancelled_invoices(world, rows):
    assert "Vervallen" not in {i.description for i in _visible(world, "guardian", Part.INVOICES)}
    assert "Vervallen" in {i.description for i in _visible(world, "administration", Part.INVOICES)}


def test_a_teacher_who_is_a_parent_too_sees_their_pupils_as_staff(world, rows):
    Guardianship.objects.create(student=world.child, user=world.users["teacher"], has_parental_authority=False)
    assert set(_visible(world, "teacher", Part.NOTES)) == set(Note.objects.filter(student=world.child))
