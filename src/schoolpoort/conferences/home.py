"""The conference block on the home page (see web/blocks.py): a guardian's next conferences, the
rounds open for booking where they have not booked yet, and a teacher's next conference evening.
Three queries; no block when there is nothing to say."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from schoolpoort.web.blocks import HomeBlock

from .access import MODULE, guardian_booking_q, guardian_round_q
from .models import Booking, Round, Session

COUNT = 3


def home_block(request, overview) -> HomeBlock | None:
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    user, now = request.user, timezone.now()
    appointments = list(
        Booking.objects.active()
        .filter(guardian_booking_q(user), slot__starts_at__gte=now)
        .select_related("slot__teacher", "student", "round")
        .order_by("slot__starts_at", "pk")[:COUNT]
    )
    mine = Booking.objects.active().filter(guardian_booking_q(user), round=OuterRef("pk"))
    open_rounds = list(
        Round.objects.filter(guardian_round_q(user), booking_opens_at__lte=now, booking_closes_at__gt=now)
        .filter(~Exists(mine))
        .order_by("booking_closes_at", "pk")[:COUNT]
    )
    session = (
        Session.objects.filter(teacher=user, date__gte=timezone.localdate(), round__school_id__in=[
            modules.school.pk for modules in overview.modules
            if any(state.info.code == MODULE for state in modules.usable)
        ])
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
