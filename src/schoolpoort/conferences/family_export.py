"""The family export (``lib.family_export``): the user's conference bookings, read through the
guardian branch of the module's access rule (``access.guardian_booking_q``: the family's and the
user's own bookings, never a separated other guardian's)."""

from __future__ import annotations

from schoolpoort.core.access import SubqueryIds
from schoolpoort.lib.family_export import Section, person, row

from . import access
from .models import Booking


def export_for(user) -> Section | None:
    bookings = (
        Booking.objects.filter(access.guardian_booking_q(SubqueryIds(user)))
        .select_related("round", "slot__teacher", "slot__session", "student")
        .order_by("slot__starts_at", "pk")
    )
    rows = [
        {
            "round": booking.round.title,
            "child": booking.student.full_name,
            "teacher": person(booking.slot.teacher),
            "starts_at": booking.slot.starts_at,
            "ends_at": booking.slot.ends_at,
            "location": booking.slot.session.location or booking.round.location,
            "booked_by_you": booking.booked_by_id == user.pk,
            **row(booking, ["created_at", "cancelled_at"]),
        }
        for booking in bookings
    ]
    if not rows:
        return None
    return Section("conferences", {"bookings": rows})
