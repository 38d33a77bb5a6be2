"""The table every unified access builder is checked against: ``Model.objects.visible_to(user)``
(subqueries) and the page path (the request's plain id lists, ``core.access.ReachIds``) must give
the same rows for each role, with the module open, switched off, or closed for a period."""

import pytest
from django.utils import timezone

from schoolpoort.core.access import ReachIds, modules_for_schools, reach_of
from schoolpoort.core.models import ModuleClosure, ModuleSwitch, School

ROLES = [
    "guardian",  # parent
    "other_guardian",  # the other (separated) parent
    "teacher",
    "teacher_other_group",
    "director",
    "administration",
    "board_admin",
    "guardian_other_school",  # a parent of the other school
]
STATES = ["open", "switched off", "closed today"]
CASES = [pytest.param(role, state, id=f"{role}-{state.replace(' ', '-')}") for state in STATES for role in ROLES]


def set_module_state(world, module: str, state: str) -> None:
    """The module at the world's main school in ``state``; the other schools keep it open."""
    if state == "switched off":
        ModuleSwitch.objects.filter(school=world.school, module=module).update(enabled=False)
    elif state == "closed today":
        today = timezone.localdate()
        ModuleClosure.objects.create(school=world.school, module=module, starts_on=today, ends_on=today)


def reach_ids(user) -> ReachIds:
    """The ids as a page reads them: the request's reach and the module states of the user's schools."""
    schools = School.objects.visible_to(user).select_related("board")
    return ReachIds(user, reach_of(user), modules_for_schools(user, schools))
