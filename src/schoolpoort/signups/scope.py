"""Where the module is usable for a user (switched on for staff, open for guardians), and to whom a
staff member may address a form or a square post: teachers to the groups they teach, the school's
administration, director and board admins to the whole school or any of its groups."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from schoolpoort.core.access import modules_for_schools, roles_of
from schoolpoort.core.models import Group, School

from .access import MODULE


def usable_schools(user) -> list[School]:
    """The user's schools where the module is usable for them; three queries."""
    schools = School.objects.visible_to(user).order_by("name")
    return [
        state.school
        for state in modules_for_schools(user, schools)
        if any(module.info.code == MODULE for module in state.usable)
    ]


@dataclass(frozen=True)
class Target:
    """One choice in a form's audience list: "school:2" or "group:3"."""

    kind: str  # "school" or "group"
    pk: int
    label: str
    school_id: int

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass
class Targets:
    targets: list[Target] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.targets)

    def by_value(self) -> dict[str, Target]:
        return {target.value: target for target in self.targets}

    def add(self, target: Target) -> None:
        if target.value not in self.by_value():
            self.targets.append(target)


def targets_for(user, schools: list[School] | None = None) -> Targets:
    """Audiences the user may address, at schools where the module is switched on; a fixed number
    of queries."""
    roles = roles_of(user)
    found = Targets()
    if not roles.is_staff:
        return found
    schools = usable_schools(user) if schools is None else schools
    schools = [school for school in schools if roles.is_staff_at(school)]
    administered = [school for school in schools if roles.administers(school)]
    groups = (
        Group.objects.current()
        .filter(school__in=schools)
        .filter(Q(school__in=administered) | Q(teachers=user))
        .distinct()
        .order_by("grades", "name", "pk")
    )
    by_school: dict[int, list[Group]] = {}
    for group in groups:
        by_school.setdefault(group.school_id, []).append(group)
    several = len(schools) > 1
    for school in schools:
        if school in administered:
            found.targets.append(Target("school", school.pk, _school_label(school), school.pk))
        for group in by_school.get(school.pk, []):
            label = f"{group.name} · {school.name}" if several else group.name
            found.targets.append(Target("group", group.pk, label, school.pk))
    return found


def _school_label(school: School) -> str:
    return _("All of %(school)s") % {"school": school.name}
