"""The conference block on the home page (see lib/home.py): a guardian's next conferences, the
rounds open for booking where they have not booked yet, and a teacher's next conference evening.
Three queries (two for a parent); no block when there is nothing to say.

The guardian's part of the access rule (``access.guardian_booking_q``, ``guardian_round_q``) is
read here from what the request knows already: the children and their current groups
(``core.access.request_reach``, shared with the other blocks) and where the module is open (the
overview's module states), as plain ``IN`` lists instead of subqueries planned anew in each
query (tests/conferences/test_conferences_home_reach.py)."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from schoolpoort.core.access import ReachIds, request_reach
from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.home import HomeBlock

from .access import MODULE, guardian_booking_q, guardian_round_q
from .models import Booking, Round, Session

COUNT = 3


def home_block(request, overview) -> HomeBlock | None:
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    # Kept per user under the reach's versions and the conferences' version (conferences/signals.py),
    # until a conversation shown starts, a round shown closes or any round opens.
    return cached_block(request, "conferences", lambda: read_block(request, overview), topics=("conferences",))


def read_block(request, overview) -> tuple[HomeBlock | None, object]:
    """The block as read from the database, and the moment it stops being true (``home_block`` keeps it)."""
    user, now = request.user, timezone.now()
    ids = ReachIds(user, request_reach(request), overview.modules)
    bookings_q = guardian_booking_q(ids)
    appointments = list(
        Booking.objects.active()
        .filter(bookings_q, slot__starts_at__gte=now)
        .select_related("slot__teacher", "student", "round")
        .order_by("slot__starts_at", "pk")[:COUNT]
    )
    mine = Booking.objects.active().filter(bookings_q, round=OuterRef("pk"))
    open_rounds = list(
        Round.objects.filter(
            guardian_round_q(ids),
            booking_opens_at__lte=now,
            booking_closes_at__gt=now,
        )
        .filter(~Exists(mine))
        .order_by("booking_closes_at", "pk")[:COUNT]
    )
    usable_schools = [
        modules.school.pk for modules in overview.modules if any(state.info.code == MODULE for state in modules.usable)
    ]
    # Only staff hold conference evenings: no query for a parent.
    session = (
        Session.objects.filter(teacher=user, date__gte=timezone.localdate(), round__school_id__in=usable_schools)
        .select_related("round")
        .order_by("date", "starts_at")
        .first()
    ) if ids.reach.roles.is_staff else None
    opening = Round.objects.filter(booking_opens_at__gt=now).order_by("booking_opens_at")
    moments = [
        *(booking.slot.starts_at for booking in appointments[:1]),
        *(round.booking_closes_at for round in open_rounds),
        *opening.values_list("booking_opens_at", flat=True)[:1],
    ]
    until = min(moments, default=None)
    if not (appointments or open_rounds or session):
        return None, until
    return HomeBlock(
        "conferences/_home_block.html",
        {"appointments": appointments, "open_rounds": open_rounds, "session": session},
        order=20,
        section="action" if open_rounds else "today",  # a round to book needs the parent
    ), until
