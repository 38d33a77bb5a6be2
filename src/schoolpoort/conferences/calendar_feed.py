"""Conferences in the user's own agenda (found by name through the kernel's feed protocol, lib/feed.py): a guardian's
bookings, one item per child's conversation with a uid that stays the same for ever, its SEQUENCE
raised on every change, cancelled ones marked cancelled. One query (the feed's query budget is
small); a teacher's evenings are on their schedule page, not in the feed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import SubqueryIds
from schoolpoort.lib.feed import WINDOW_PAST_DAYS, FeedItem

from .access import guardian_booking_q
from .models import Booking


def _description(round) -> str:
    lines = [round.title]
    if round.video_link:
        lines.append(_("Video call: %(link)s") % {"link": round.video_link})
    return "\n".join(lines)


def feed_items(user) -> list[FeedItem]:
    since = timezone.now() - datetime.timedelta(days=WINDOW_PAST_DAYS)
    bookings = (
        Booking.objects.filter(guardian_booking_q(SubqueryIds(user)), slot__starts_at__gte=since)
        .select_related("slot__teacher", "slot__session", "round", "student")
        .order_by("slot__starts_at", "pk")
    )
    return [
        FeedItem(
            uid=booking.feed_uid,
            summary=_("Conference about %(child)s with %(teacher)s")
            % {"child": booking.student.first_name, "teacher": booking.slot.teacher.get_full_name()},
            start=booking.slot.starts_at,
            end=booking.slot.ends_at,
            location=booking.slot.session.location or booking.round.location,
            description=_description(booking.round),
            sequence=booking.sequence,
            cancelled=booking.cancelled_at is not None,
            url=settings.SITE_URL + booking.round.get_absolute_url(),
            stamp=booking.updated_at,
        )
        for booking in bookings
    ]
