"""Who may change what. Administration, the director and board admins manage every shelf of their
schools: shelves for the school, for groups and for named parents, their folders and documents.
A teacher manages the shelves of the groups they teach this school year (every group of the shelf
must be theirs) and may make such shelves; not school-wide shelves and not letters to one family.
Only for what the user can see already (fetched through ``visible_to``): this decides what a page
offers, never what exists."""

from __future__ import annotations

from dataclasses import dataclass

from schoolpoort.core.access import Roles, roles_of
from schoolpoort.core.models import Group

from .models import Shelf

ADMIN_ROLES = frozenset({"administration", "director"})


@dataclass(frozen=True)
class Rights:
    roles: Roles
    taught: dict[int, int]  # current group taught → its school

    def administers(self, school_id: int) -> bool:
        return school_id in self.roles.board_school_ids or bool(
            self.roles.school_roles.get(school_id, frozenset()) & ADMIN_ROLES
        )

    def is_staff_at(self, school_id: int) -> bool:
        return school_id in self.roles.board_school_ids or school_id in self.roles.school_roles

    def taught_at(self, school_id: int) -> set[int]:
        if school_id not in self.roles.school_roles:
            return set()
        return {group_id for group_id, school in self.taught.items() if school == school_id}

    def can_create_shelf(self, school_id: int) -> bool:
        return self.administers(school_id) or bool(self.taught_at(school_id))

    def audiences(self, school_id: int) -> list[str]:
        """The audiences the user may give a shelf at this school."""
        if self.administers(school_id):
            return [choice for choice, _label in Shelf.Audience.choices]
        return [Shelf.Audience.GROUPS] if self.taught_at(school_id) else []

    def can_edit(self, shelf: Shelf) -> bool:
        """Upload, replace, delete, folders, the shelf itself. Uses the shelf's prefetched groups."""
        if self.administers(shelf.school_id):
            return True
        if shelf.audience != Shelf.Audience.GROUPS:
            return False
        group_ids = {group.pk for group in shelf.groups.all()}
        return bool(group_ids) and group_ids <= self.taught_at(shelf.school_id)


def rights_of(user) -> Rights:
    """The user's rights, read once per user object (roles, and one query for taught groups)."""
    cached = getattr(user, "_documents_rights", None)
    if cached is not None:
        return cached
    roles = roles_of(user)
    taught = {}
    if roles.school_roles:
        taught = dict(Group.objects.current().filter(teachers=user).values_list("pk", "school_id"))
    rights = Rights(roles, taught)
    if getattr(user, "is_authenticated", False):
        user._documents_rights = rights
    return rights
