"""Events of a school that a module announces without knowing who listens: the API's webhooks tell
the school's own systems (a new absence, a booking, a finished import). Modules never import the
api app; they call ``announce`` in the domain function where the thing happens (inside its
transaction), and whoever subscribes to ``school_event`` acts on it.

``data`` is what a listener may pass on outside Schoolpoort (ids, dates, counts): keep it to what
the school's own administration system needs, never notes or contact details."""

from __future__ import annotations

from django.dispatch import Signal

ABSENCE_REPORTED = "absence.reported"
BOOKING_MADE = "booking.made"
BOOKING_CANCELLED = "booking.cancelled"
IMPORT_FINISHED = "import.finished"
EVENTS = (ABSENCE_REPORTED, BOOKING_MADE, BOOKING_CANCELLED, IMPORT_FINISHED)

# sender: the event's name; arguments: event, school_id, data (a dict of JSON-able values, dates allowed).
school_event = Signal()


def announce(event: str, *, school_id: int | None, **data) -> None:
    if event not in EVENTS:
        raise ValueError(f"unknown event {event}")
    if school_id is not None:
        school_event.send(sender=event, event=event, school_id=school_id, data=data)
