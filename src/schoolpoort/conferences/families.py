"""Who a round is for: the pupils of its groups (minus those who need no conference), their
guardians, and for one guardian their own children in it with what they booked.

Separated guardians: in a round where they book each their own, a pupil's guardians count as
separated when the school marked the pupil so for the round, or when one of them keeps their
contact details from the other (``core.hiding``: the administration system knows they live apart).
Each of them then books under their own party (their user id) and sees only their own booking."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from schoolpoort.core.hiding import kept_apart_student_ids_q
from schoolpoort.core.models import Enrollment, Group, Guardianship, Student

from .models import FAMILY, Booking, Exemption, Round


@dataclass
class Child:
    """One of a guardian's children in a round, as that guardian meets it."""

    student: Student
    groups: list[Group]  # the child's groups that are in the round
    exempt: bool
    party: int  # FAMILY, or the guardian's user id when they book their own conversation
    booking: Booking | None = None  # the active booking this guardian may see
    free_slots: list = field(default_factory=list)  # filled by the booking page

    @property
    def group_ids(self) -> set[int]:
        return {group.pk for group in self.groups}

    @property
    def can_book(self) -> bool:
        return not self.exempt and self.booking is None


def round_group_ids(round: Round) -> list[int]:
    return [group.pk for group in round.groups.all()]


def exemptions(round: Round, student_ids=None, group_ids=None) -> tuple[set[int], set[int]]:
    """(exempt pupil ids, exempt group ids) of the round; one query."""
    rows = Exemption.objects.filter(round=round)
    if student_ids is not None:
        rows = rows.filter(Q(student_id__in=student_ids) | Q(group_id__in=group_ids or []))
    students, groups = set(), set()
    for student_id, group_id in rows.values_list("student_id", "group_id"):
        if student_id:
            students.add(student_id)
        else:
            groups.add(group_id)
    return students, groups


def separated_student_ids(round: Round, student_ids) -> set[int]:
    """Which of these pupils' guardians book each their own conversation in this round; one query
    (none when the round has all guardians book together)."""
    if not round.books_separately or not student_ids:
        return set()
    marked = Round.separate_students.through.objects.filter(round_id=round.pk).values("student_id")
    return set(
        Student.objects.filter(pk__in=list(student_ids))
        .filter(Q(pk__in=kept_apart_student_ids_q()) | Q(pk__in=marked))
        .values_list("pk", flat=True)
    )


def party_for(student_id: int, user_id: int, separated: set[int]) -> int:
    return user_id if student_id in separated else FAMILY


def children_in_round(round: Round, user) -> list[Child]:
    """The user's own children in the round, with what the user may see of their bookings. Four
    queries at most, whatever the number of children."""
    group_ids = round_group_ids(round)
    enrollments = list(
        Enrollment.objects.filter(
            group_id__in=group_ids, student__guardianships__user=user, student__archived_at__isnull=True
        )
        .select_related("student", "group")
        .order_by("student__first_name", "student_id", "group__name")
    )
    if not enrollments:
        return []
    by_student: dict[int, list[Group]] = defaultdict(list)
    students: dict[int, Student] = {}
    for enrollment in enrollments:
        students[enrollment.student_id] = enrollment.student
        by_student[enrollment.student_id].append(enrollment.group)
    exempt_students, exempt_groups = exemptions(round, list(students), group_ids)
    separated = separated_student_ids(round, list(students))
    bookings = {
        booking.student_id: booking
        for booking in Booking.objects.active()
        .filter(round=round, student_id__in=list(students))
        .filter(Q(party=FAMILY) | Q(party=user.pk))
        .select_related("slot__teacher", "slot__session", "appointment")
        .order_by("pk")
    }
    children = []
    for student_id, student in students.items():
        groups = by_student[student_id]
        exempt = student_id in exempt_students or all(g.pk in exempt_groups for g in groups)
        children.append(
            Child(
                student=student,
                groups=groups,
                exempt=exempt,
                party=party_for(student_id, user.pk, separated),
                booking=bookings.get(student_id),
            )
        )
    return children


def invited_pupils(round: Round) -> dict[int, list[int]]:
    """{pupil id: [their group ids in the round]} of every current pupil the round is for (those
    who need no conference left out); two queries."""
    group_ids = round_group_ids(round)
    exempt_students, exempt_groups = exemptions(round)
    pupils: dict[int, list[int]] = defaultdict(list)
    for student_id, group_id in Enrollment.objects.filter(
        group_id__in=group_ids, student__archived_at__isnull=True
    ).values_list("student_id", "group_id"):
        if student_id not in exempt_students and group_id not in exempt_groups:
            pupils[student_id].append(group_id)
    return dict(pupils)


def guardian_user_ids(student_ids) -> dict[int, list[int]]:
    """{pupil id: [user ids of their registered guardians]}; one query."""
    found: dict[int, list[int]] = defaultdict(list)
    for student_id, user_id in (
        Guardianship.objects.filter(student_id__in=list(student_ids), user__isnull=False, user__is_active=True)
        .order_by("pk")
        .values_list("student_id", "user_id")
    ):
        found[student_id].append(user_id)
    return dict(found)


def party_user_ids(bookings) -> list[int]:
    """Who hears about these bookings: the guardian who booked their own conversation, or every
    registered guardian of the child when the family books together."""
    bookings = list(bookings)
    family = [b.student_id for b in bookings if b.party == FAMILY]
    ids = {b.party for b in bookings if b.party != FAMILY}
    for users in guardian_user_ids(family).values():
        ids.update(users)
    return sorted(ids)
