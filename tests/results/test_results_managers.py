"""``<Result>.objects.visible_to(user)`` alone is the whole access rule: no view has to ask
``student_for_part_or_404`` first for the rows to be right. The module switch, a closed module, a
part switched off, a closed period, parental authority and the release date each stop guardians
in the manager; staff are stopped only by the module switched off."""

import datetime

import pytest
from django.utils import timezone

from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.records.access import settings_for
from schoolpoort.records.models import ClosedPeriod, Part
from schoolpoort.records.results.models import MethodTest, ReportCard, StandardisedTest

TODAY = timezone.localdate()
MODELS = {Part.REPORT_CARDS: ReportCard, Part.METHOD_TESTS: MethodTest, Part.STANDARDISED_TESTS: StandardisedTest}
GUARDIANS = ["guardian", "other_guardian"]
STAFF = ["teacher", "administration", "director", "board_admin"]
OUTSIDERS = ["guardian_other_group", "guardian_other_school", "teacher_other_group", "board_admin_other_board"]


def _sees(world, role, part) -> bool:
    model = MODELS[part]
    return model.objects.visible_to(world.users[role]).filter(student=world.child).exists()


def _close(world, parts, school=None):
    ClosedPeriod.objects.create(
        school=school or world.school, starts_on=TODAY, ends_on=TODAY + datetime.timedelta(days=2), parts=parts
    )


@pytest.mark.parametrize("part", list(MODELS))
@pytest.mark.parametrize("role", [*GUARDIANS, *STAFF])
def test_the_child_s_guardians_and_staff_see_the_rows(world, results, role, part):
    assert _sees(world, role, part)


@pytest.mark.parametrize("part", list(MODELS))
@pytest.mark.parametrize("role", [*OUTSIDERS, "anonymous"])
def test_outsiders_see_no_rows(world, results, role, part):
    assert not _sees(world, role, part)


@pytest.mark.parametrize("part", list(MODELS))
def test_a_closed_period_hides_its_part_from_guardians_not_staff(world, results, part):
    _close(world, [part])
    for role in GUARDIANS:
        assert not _sees(world, role, part)
    for role in STAFF:
        assert _sees(world, role, part)
    other_parts = set(MODELS) - {part}
    assert all(_sees(world, "guardian", other) for other in other_parts)


def test_a_closed_period_of_another_school_or_over_changes_nothing(world, results):
    _close(world, list(MODELS), school=world.sister_school)
    ClosedPeriod.objects.create(
        school=world.school, starts_on=TODAY - datetime.timedelta(days=5), ends_on=TODAY - datetime.timedelta(days=1)
    )
    assert all(_sees(world, "guardian", part) for part in MODELS)


def test_without_parental_authority_the_school_decides(world, results):
    Guardianship.objects.filter(user=world.users["other_guardian"]).update(has_parental_authority=False)
    # The defaults open results to guardians without authority.
    assert all(_sees(world, "other_guardian", part) for part in MODELS)
    settings = settings_for(world.school)
    settings.parts_without_authority = [Part.CARD, Part.METHOD_TESTS]
    settings.save()
    assert _sees(world, "other_guardian", Part.METHOD_TESTS)
    assert not _sees(world, "other_guardian", Part.REPORT_CARDS)
    assert not _sees(world, "other_guardian", Part.STANDARDISED_TESTS)
    # The guardian with authority is not touched by it.
    assert all(_sees(world, "guardian", part) for part in MODELS)


@pytest.mark.parametrize("part", list(MODELS))
def test_a_part_switched_off_hides_its_rows_from_everyone(world, results, part):
    settings = settings_for(world.school)
    settings.parts_on = [p for p in settings.parts_on if p != part]
    settings.save()
    for role in [*GUARDIANS, *STAFF]:
        assert not _sees(world, role, part)


@pytest.mark.parametrize("state", ["switched off", "closed today"])
def test_the_records_module_off_or_closed(world, results, state):
    if state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module="records").update(enabled=False)
    else:
        ModuleClosure.objects.create(school=world.school, module="records", starts_on=TODAY, ends_on=TODAY)
    for role in GUARDIANS:
        assert not any(_sees(world, role, part) for part in MODELS)
    for role in STAFF:
        assert all(_sees(world, role, part) for part in MODELS) == (state == "closed today")


def test_guardians_see_report_cards_from_the_release_date_on(world, results):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    assert set(ReportCard.objects.visible_to(guardian)) == {results["card"]}
    assert set(ReportCard.objects.visible_to(teacher)) == {results["card"], results["hidden"]}
    later = results["future"].released_on
    assert set(ReportCard.objects.visible_to(guardian, later)) == {results["card"], results["hidden"]}


def test_a_leaver_s_results_are_gone_for_everyone(world, results):
    world.child.archived_at = timezone.now()
    world.child.save(update_fields=["archived_at"])
    for role in [*GUARDIANS, *STAFF]:
        assert not any(_sees(world, role, part) for part in MODELS)
