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


def follows_closure_and_switch(client, world, module: str, page: str, post: tuple[str, dict] | None = None):
    """A page that reads through the request's kept id lists (``access.get_in_reach_or_404``) must
    follow each change of the module's state on the very next request: closed for a period, its
    guardian gets a 404 (on ``page`` and on the ``post``: url, data) while staff still see it;
    switched off, everyone does. Leaves the module open; returns ``status(user, url, data=None)``
    for the module's own further steps (a leaver, class pages)."""
    import datetime

    from schoolpoort.core.actions import add_module_closure, set_module_switches
    from schoolpoort.core.modules import MODULES

    guardian, teacher, director = world.users["guardian"], world.users["teacher"], world.users["director"]

    def status(user, url, data=None):
        client.force_login(user)
        return (client.post(url, data) if data is not None else client.get(url)).status_code

    def guardian_refused() -> bool:
        return status(guardian, page) == 404 and (post is None or status(guardian, *post) == 404)

    assert status(guardian, page) == 200 and status(teacher, page) == 200  # the reach is kept from here on
    today = timezone.localdate()
    closure = add_module_closure(world.school, director, module=module, starts_on=today,
                                 ends_on=today + datetime.timedelta(days=3))
    assert guardian_refused()
    assert status(teacher, page) == 200  # staff still see a closed module
    closure.delete()
    assert status(guardian, page) == 200
    set_module_switches(world.school, set(MODULES) - {module}, director)
    assert status(guardian, page) == 404 and status(teacher, page) == 404
    set_module_switches(world.school, set(MODULES), director)
    assert status(guardian, page) == 200
    return status
