"""Where the absence pages are usable for a user: the schools where the module is switched on (as
staff) or open (as guardian). Pages answer 404 outside it, as ``require_module`` does for one school;
a few queries for all of the user's schools at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from schoolpoort.core.access import Roles, modules_for_schools, roles_of
from schoolpoort.core.models import School

from .access import MODULE


@dataclass(frozen=True)
class AbsenceScope:
    schools: tuple[School, ...]
    roles: Roles

    def __bool__(self) -> bool:
        return bool(self.schools)

    @property
    def school_ids(self) -> set[int]:
        return {school.pk for school in self.schools}

    @property
    def staff_schools(self) -> list[School]:
        return [school for school in self.schools if self.roles.is_staff_at(school)]

    @property
    def administered_schools(self) -> list[School]:
        return [school for school in self.schools if self.roles.administers(school)]

    def staff_school_or_404(self, school_id) -> School:
        for school in self.staff_schools:
            if str(school.pk) == str(school_id):
                return school
        raise Http404

    def administered_school_or_404(self, school_id) -> School:
        school = self.staff_school_or_404(school_id)
        if not self.roles.administers(school):
            raise Http404
        return school

    def managed_school_or_404(self, school_id) -> School:
        school = self.staff_school_or_404(school_id)
        if not self.roles.manages(school):
            raise Http404
        return school


def absence_scope(user) -> AbsenceScope:
    schools = School.objects.visible_to(user).select_related("board").order_by("name")
    usable = tuple(
        state.school
        for state in modules_for_schools(user, schools)
        if any(module.info.code == MODULE for module in state.usable)
    )
    return AbsenceScope(usable, roles_of(user))


def scope_or_404(user) -> AbsenceScope:
    scope = absence_scope(user)
    if not scope:
        raise Http404
    return scope
