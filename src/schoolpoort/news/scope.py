"""Where the news module is usable for a user: the schools where it is switched on (staff) or
open (guardians: not closed for a period). Pages answer 404 outside it, as ``require_module``
does for one school; three queries for all of the user's schools at once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from schoolpoort.core.access import modules_for_schools
from schoolpoort.core.models import School

from .access import MODULE


@dataclass(frozen=True)
class NewsScope:
    schools: tuple[School, ...]
    # The module states of the user's schools: where news is open today (switched on, not
    # closed) is what a guardian may read there, staff or not (see access.post_q).
    modules: tuple = ()

    @property
    def school_ids(self) -> set[int]:
        return {school.pk for school in self.schools}

    @property
    def board_ids(self) -> set[int]:
        return {school.board_id for school in self.schools}

    def __bool__(self) -> bool:
        return bool(self.schools)

    def includes(self, post) -> bool:
        if post.school_id is not None:
            return post.school_id in self.school_ids
        return post.board_id in self.board_ids

    def q(self) -> Q:
        return Q(school_id__in=self.school_ids) | Q(school__isnull=True, board_id__in=self.board_ids)


def news_scope(user) -> NewsScope:
    schools = School.objects.visible_to(user).select_related("board").order_by("name")
    return scope_of(modules_for_schools(user, schools))


def scope_of(states) -> NewsScope:
    """The scope from module states already read (the home page's ``overview.modules``)."""
    usable = tuple(state.school for state in states if any(module.info.code == MODULE for module in state.usable))
    return NewsScope(usable, tuple(states))
