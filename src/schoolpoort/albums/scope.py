"""Where the albums module is usable for a user, and what staff may do with albums.

- Scope: the schools where the module is switched on (staff) or open (guardians). The pages
  answer 404 outside it, as ``require_module`` does for one school; three queries for all of the
  user's schools at once. (The visible_to querysets check the module too, so the file views need
  no scope.)
- Making albums: teachers for the groups they teach; directors, administration and board admins
  for the whole school or any of its groups.
- Managing an album (upload, tag, edit, publish, delete): its maker while still staff there, a
  teacher of one of its groups, and administration, directors and board admins of its school."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from schoolpoort.core.access import modules_for_schools, roles_of
from schoolpoort.core.models import Group, School

from .access import MODULE
from .models import Album


@dataclass(frozen=True)
class AlbumScope:
    schools: tuple[School, ...]

    @property
    def school_ids(self) -> set[int]:
        return {school.pk for school in self.schools}

    def __bool__(self) -> bool:
        return bool(self.schools)

    def includes(self, album: Album) -> bool:
        return album.school_id in self.school_ids


def album_scope(user) -> AlbumScope:
    schools = School.objects.visible_to(user).order_by("name")
    return AlbumScope(
        tuple(
            state.school
            for state in modules_for_schools(user, schools)
            if any(module.info.code == MODULE for module in state.usable)
        )
    )


@dataclass(frozen=True)
class Target:
    """One choice of the album form's audience: "school:2" or "group:3"."""

    kind: str
    pk: int
    label: str
    school_id: int

    @property
    def value(self) -> str:
        return f"{self.kind}:{self.pk}"


@dataclass
class AuthoringOptions:
    targets: list[Target] = field(default_factory=list)

    @property
    def can_create(self) -> bool:
        return bool(self.targets)

    def by_value(self) -> dict[str, Target]:
        return {target.value: target for target in self.targets}


def authoring_options(user, scope: AlbumScope | None = None) -> AuthoringOptions:
    """For whom ``user`` may make albums, in the schools of the scope. A fixed number of queries."""
    roles = roles_of(user)
    options = AuthoringOptions()
    if not roles.is_staff:
        return options
    scope = scope if scope is not None else album_scope(user)
    schools = [school for school in scope.schools if roles.is_staff_at(school)]
    administered = [school for school in schools if roles.administers(school)]
    groups = (
        Group.objects.current()
        .filter(school__in=schools)
        .filter(Q(school__in=administered) | Q(teachers=user))
        .distinct()
        .order_by("grades", "name")
    )
    by_school: dict[int, list[Group]] = {}
    for group in groups:
        by_school.setdefault(group.school_id, []).append(group)
    for school in schools:
        if school in administered:
            options.targets.append(Target("school", school.pk, school.name, school.pk))
        for group in by_school.get(school.pk, []):
            options.targets.append(Target("group", group.pk, f"{group.name} · {school.name}", school.pk))
    return options


def can_manage(user, album: Album) -> bool:
    """For an album the user can see (fetched through ``visible_to``)."""
    roles = roles_of(user)
    if not roles.is_staff_at(album.school):
        return False
    if roles.administers(album.school) or album.created_by_id == user.pk:
        return True
    if album.audience != Album.Audience.GROUPS:
        return False
    return Group.objects.current().filter(teachers=user, albums=album).exists()
