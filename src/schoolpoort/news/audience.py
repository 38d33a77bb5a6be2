"""Who receives a post, and which families have read it. Plain functions that the pages, the
actions and the API share.

The recipients of a post are the guardian accounts of the pupils in its audience: a registered,
active account, a pupil who has not left, a current enrollment in one of the audience's groups
(group posts: only guardians the school lets see class pages) or in a group of its school or
board, at a school where news is open to parents. They are exactly the guardians in whose feed
the post appears once it is published. A family is the children who share the same set of
guardian accounts (brothers and sisters); it has read the post when any of its guardians has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from schoolpoort.core.access import open_module_school_ids
from schoolpoort.core.models import Enrollment, Group, Guardianship, Student

from .access import MODULE
from .models import Post, PostRead


@dataclass(frozen=True)
class Audience:
    """Whom a post is for: also for a post that is not saved yet (the form's preview)."""

    kind: str  # Post.Audience
    board_id: int
    school_id: int | None = None
    group_ids: tuple[int, ...] = ()

    @classmethod
    def of(cls, post: Post) -> Audience:
        group_ids = ()
        if post.audience == Post.Audience.GROUPS:
            group_ids = tuple(sorted(group.pk for group in post.groups.all()))
        return cls(post.audience, post.board_id, post.school_id, group_ids)


def _audience(post_or_audience: Post | Audience) -> Audience:
    return post_or_audience if isinstance(post_or_audience, Audience) else Audience.of(post_or_audience)


def guardian_slots(post_or_audience: Post | Audience) -> QuerySet[Guardianship]:
    """The guardian links (pupil, account) through which the post reaches someone."""
    audience = _audience(post_or_audience)
    enrollments = Enrollment.objects.filter(group__in=Group.objects.current())
    if audience.kind == Post.Audience.GROUPS:
        enrollments = enrollments.filter(group_id__in=audience.group_ids)
    elif audience.kind == Post.Audience.SCHOOL:
        enrollments = enrollments.filter(group__school_id=audience.school_id)
    else:
        enrollments = enrollments.filter(group__school__board_id=audience.board_id)
    # The open schools and the pupils as plain id lists (two small queries first): nested
    # subqueries let PostgreSQL pick a runaway plan when its statistics are stale, e.g. right
    # after an import or a bulk load, which is exactly when a post goes out.
    slots = Guardianship.objects.filter(
        user__isnull=False,
        user__is_active=True,
        student__archived_at__isnull=True,
        student__school_id__in=[row["school_id"] for row in open_module_school_ids(MODULE)],
        student_id__in=list(enrollments.values_list("student_id", flat=True).distinct()),
    )
    if audience.kind == Post.Audience.GROUPS:
        slots = slots.filter(sees_class_pages=True)
    return slots


def recipients(post_or_audience: Post | Audience) -> list[int]:
    """The ids of the guardian accounts the post is for, each once, in three queries."""
    return sorted(set(guardian_slots(post_or_audience).values_list("user_id", flat=True)))


@dataclass
class Family:
    children: list[Student]
    guardians: list  # User
    has_read: bool = False
    guardian_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def children_names(self) -> str:
        return ", ".join(child.full_name for child in self.children)

    @property
    def guardian_names(self) -> str:
        return ", ".join(guardian.get_full_name() for guardian in self.guardians)


def families(post_or_audience: Post | Audience) -> list[Family]:
    """The post's families, sorted by the children's names; two queries (the guardian links and
    the post's read receipts)."""
    slots = guardian_slots(post_or_audience).select_related("student", "user").order_by("student_id")
    children: dict[int, Student] = {}
    guardians_of: dict[int, dict[int, object]] = {}
    for slot in slots:
        children[slot.student_id] = slot.student
        guardians_of.setdefault(slot.student_id, {})[slot.user_id] = slot.user

    read_by: set[int] = set()
    if isinstance(post_or_audience, Post) and post_or_audience.pk:
        read_by = set(PostRead.objects.filter(post=post_or_audience).values_list("user_id", flat=True))

    by_guardians: dict[frozenset[int], Family] = {}
    for student_id, guardians in guardians_of.items():
        key = frozenset(guardians)
        family = by_guardians.get(key)
        if family is None:
            ordered = sorted(guardians.values(), key=lambda user: (user.get_full_name().lower(), user.pk))
            family = by_guardians[key] = Family([], ordered, bool(key & read_by), key)
        family.children.append(children[student_id])

    def child_order(child: Student):
        return (child.last_name.lower(), child.first_name.lower(), child.pk)

    for family in by_guardians.values():
        family.children.sort(key=child_order)
    return sorted(by_guardians.values(), key=lambda family: child_order(family.children[0]))


@dataclass
class ReadStats:
    families: list[Family]

    @property
    def total(self) -> int:
        return len(self.families)

    @property
    def read(self) -> int:
        return sum(1 for family in self.families if family.has_read)

    @property
    def unread_families(self) -> list[Family]:
        return [family for family in self.families if not family.has_read]

    @property
    def unread_guardian_ids(self) -> list[int]:
        return sorted({user_id for family in self.unread_families for user_id in family.guardian_ids})


def read_stats(post: Post) -> ReadStats:
    return ReadStats(families(post))
