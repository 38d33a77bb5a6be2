"""What the conference module tells people, through ``notify()`` inside the caller's transaction.
Titles only (a time and the round's title), never a child's name; each recipient gets the title in
their own language (one broadcast per language, with the same key)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.lib import dates

from .access import MODULE
from .families import guardian_user_ids, invited_pupils, party_user_ids


def when(moment) -> str:
    """"dinsdag 12 november om 19:10" ("Tuesday 12 November at 19:10") in the active language."""
    return dates.style(moment, "weekday_time")


def send(user_ids: Iterable[int], *, round, event: str, key: str, title: Callable[[], str]) -> int:
    """Notify ``user_ids`` about ``round``; ``title()`` is called once per language. Returns the
    number of recipients."""
    from schoolpoort.notify.api import notify

    user_ids = sorted(set(user_ids))
    if not user_ids:
        return 0
    supported = {code for code, _name in settings.LANGUAGES}
    by_language: dict[str, list[int]] = defaultdict(list)
    for pk, language in get_user_model().objects.filter(pk__in=user_ids, is_active=True).values_list(
        "pk", "language"
    ):
        by_language[language if language in supported else settings.LANGUAGE_CODE].append(pk)
    for language, ids in sorted(by_language.items()):
        with translation.override(language):
            notify(
                ids, event=event, key=key, module=MODULE, title=title(), url=round.get_absolute_url(),
                school=round.school_id,
            )
    return sum(len(ids) for ids in by_language.values())


def round_opened(round) -> int:
    """Every registered guardian of a pupil the round is for (not those who need no conference)."""
    recipients = {uid for users in guardian_user_ids(invited_pupils(round)).values() for uid in users}
    return send(
        recipients, round=round, event="conferences.opened", key=round.notification_key,
        title=lambda: _("Book your parent-teacher conference: %(title)s") % {"title": round.title},
    )


def appointment_made(appointment, bookings, *, event: str = "conferences.booked") -> int:
    """Confirmation to the guardian who booked and, when the family books together, the child's
    other guardians; also for a family the school or the planner placed."""
    first = min(bookings, key=lambda b: b.slot.starts_at)
    titles = {
        "conferences.booked": lambda: _("Conference booked: %(when)s") % {"when": when(first.slot.starts_at)},
        "conferences.placed": lambda: _("The school planned your conference: %(when)s")
        % {"when": when(first.slot.starts_at)},
        "conferences.planned": lambda: _("Your conference has been planned: %(when)s")
        % {"when": when(first.slot.starts_at)},
    }
    round = appointment.round
    return send(
        party_user_ids(bookings), round=round, event=event,
        key=f"{round.notification_key}:appointment:{appointment.pk}", title=titles[event],
    )


def booking_changed(booking) -> int:
    return send(
        party_user_ids([booking]), round=booking.round, event="conferences.changed",
        key=f"{booking.round.notification_key}:booking:{booking.pk}",
        title=lambda: _("Conference moved to %(when)s") % {"when": when(booking.slot.starts_at)},
    )


def booking_cancelled(booking) -> int:
    return send(
        party_user_ids([booking]), round=booking.round, event="conferences.cancelled",
        key=f"{booking.round.notification_key}:booking:{booking.pk}",
        title=lambda: _("Conference cancelled: %(when)s") % {"when": when(booking.slot.starts_at)},
    )


def reminders(round, bookings, day) -> int:
    """The day before: one reminder per family, with the time of their first conversation."""
    first_time: dict[int, object] = {}
    for booking in bookings:
        for user_id in party_user_ids([booking]):
            if user_id not in first_time or booking.slot.starts_at < first_time[user_id]:
                first_time[user_id] = booking.slot.starts_at
    by_time: dict[object, list[int]] = defaultdict(list)
    for user_id, moment in first_time.items():
        by_time[moment].append(user_id)
    count = 0
    for moment, user_ids in sorted(by_time.items()):
        count += send(
            user_ids, round=round, event="conferences.reminder",
            key=f"{round.notification_key}:reminder:{day.isoformat()}",
            title=lambda moment=moment: _("Reminder: your parent-teacher conference tomorrow at %(time)s")
            % {"time": dates.style(timezone.localtime(moment), "time")},
        )
    return count


def planner_done(round, placed: int, total: int) -> int:
    """To the staff member who made the round."""
    if round.created_by_id is None:
        return 0
    return send(
        [round.created_by_id], round=round, event="conferences.planner", key=f"{round.notification_key}:planner",
        title=lambda: _("The planner placed %(placed)d of %(total)d families: %(title)s")
        % {"placed": placed, "total": total, "title": round.title},
    )
