"""The conference block on the home page (see lib/home.py): a guardian's next conferences, the
rounds open for booking where they have not booked yet, and a teacher's next conference evening.
Three queries; no block when there is nothing to say.

The guardian's part of the access rule (``access.guardian_booking_q``, ``guardian_round_q``) is
read here from what the request knows already: the children (``core.access.request_reach``,
shared with the other blocks), their current groups (the overview's prefetched enrolments) and
where the module is open (the overview's module states), as plain ``IN`` lists instead of
subqueries planned anew in each query. Same rows as the access layer for every role
(tests/conferences/test_conferences_home_reach.py)."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from schoolpoort.core.access import NOTHING, request_reach
from schoolpoort.lib.home import HomeBlock

from .access import MODULE
from .models import Booking, Round, Session

COUNT = 3


def open_school_ids(modules) -> set[int]:
    """Schools among the overview's where the module is open today (switched on, not closed)."""
    return {
        school_modules.school.pk
        for school_modules in modules
        for state in school_modules.states
        if state.info.code == MODULE and state.is_open
    }


def children_group_ids(overview) -> set[int]:
    """Current groups of the user's children, class pages or not (``access.children_group_ids``)."""
    return {enrollment.group_id for card in overview.children for enrollment in card.student.enrollments.all()}


def reach_booking_q(user, child_ids, open_ids) -> Q:
    """``access.guardian_booking_q`` with plain lists."""
    if not child_ids or not open_ids:
        return NOTHING
    return Q(student_id__in=sorted(child_ids), party__in=[0, user.pk], round__school_id__in=sorted(open_ids))


def reach_round_q(group_ids, open_ids) -> Q:
    """``access.guardian_round_q`` with plain lists."""
    if not group_ids or not open_ids:
        return NOTHING
    of_groups = Round.groups.through.objects.filter(group_id__in=sorted(group_ids)).values("round_id")
    return Q(pk__in=of_groups, school_id__in=sorted(open_ids))


def home_block(request, overview) -> HomeBlock | None:
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    user, now = request.user, timezone.now()
    open_ids = open_school_ids(overview.modules)
    bookings_q = reach_booking_q(user, request_reach(request).child_ids, open_ids)
    appointments = list(
        Booking.objects.active()
        .filter(bookings_q, slot__starts_at__gte=now)
        .select_related("slot__teacher", "student", "round")
        .order_by("slot__starts_at", "pk")[:COUNT]
    )
    mine = Booking.objects.active().filter(bookings_q, round=OuterRef("pk"))
    open_rounds = list(
        Round.objects.filter(
            reach_round_q(children_group_ids(overview), open_ids),
            booking_opens_at__lte=now,
            booking_closes_at__gt=now,
        )
        .filter(~Exists(mine))
        .order_by("booking_closes_at", "pk")[:COUNT]
    )
    usable_schools = [
        modules.school.pk for modules in overview.modules if any(state.info.code == MODULE for state in modules.usable)
    ]
    session = (
        Session.objects.filter(teacher=user, date__gte=timezone.localdate(), round__school_id__in=usable_schools)
        .select_related("round")
        .order_by("date", "starts_at")
        .first()
    )
    if not (appointments or open_rounds or session):
        return None
    return HomeBlock(
        "conferences/_home_block.html",
        {"appointments": appointments, "open_rounds": open_rounds, "session": session},
        order=20,
    )
