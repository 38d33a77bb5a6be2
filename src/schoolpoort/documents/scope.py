"""Where documents is usable for a user: the schools where it is switched on (staff) or open
(guardians: not closed for a period). The bookshelf answers 404 outside it, as ``require_module``
does for one school; ``visible_to`` applies the same rule to every shelf."""

from __future__ import annotations

from django.http import Http404

from schoolpoort.core.access import modules_for_schools
from schoolpoort.core.models import School

from .access import MODULE


def usable_schools(user) -> list[School]:
    schools = School.objects.visible_to(user).select_related("board").order_by("name")
    return [
        state.school
        for state in modules_for_schools(user, schools)
        if any(module.info.code == MODULE for module in state.usable)
    ]


def usable_school_or_404(user, school_id) -> School:
    for school in usable_schools(user):
        if str(school.pk) == str(school_id):
            return school
    raise Http404
