"""Staff actions on conference rounds that the pages and the API share: make and change a round,
add and remove time windows, block slots, mark pupils, place a family. Each is atomic; the caller
has decided that the actor may do it (``access.manages_round`` and friends). The tasks that open a
round, run the planner and send the reminders are enqueued here, in the same transaction."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import open_module_school_ids
from schoolpoort.core.models import AuditEntry, Enrollment, Guardianship

from . import notifications
from .access import MODULE
from .booking import BookingError, Entry, NotBookable, reserve
from .families import exemptions, separated_student_ids
from .models import FAMILY, Appointment, Booking, Exemption, Round, Session, Slot
from .slots import create_slots, local_zone

ROUND_FIELDS = (
    "title", "location", "video_link", "booking_opens_at", "booking_closes_at", "planning_at",
    "separated_guardians", "slot_minutes", "break_every", "break_minutes", "remind_day_before",
)
REMINDER_TIME = datetime.time(16, 0)  # the day before
RETRY_OPENING_AT = datetime.time(7, 30)  # when the module was closed at opening time


def _enqueue(task, moment: datetime.datetime, *args) -> None:
    task.using(run_after=max(moment, timezone.now())).enqueue(*args)


# --- Rounds --------------------------------------------------------------------------------------


@transaction.atomic
def create_round(actor, *, school, groups, **fields) -> Round:
    round = Round(school=school, created_by=actor, **{k: v for k, v in fields.items() if k in ROUND_FIELDS})
    round.save()
    round.groups.set(groups)
    AuditEntry.record(actor, "conferences.round_created", round, school=school, title=round.title)
    _schedule(round)
    return round


@transaction.atomic
def update_round(round: Round, actor, *, groups, **fields) -> Round:
    before = (round.booking_opens_at, round.planning_at)
    for name in ROUND_FIELDS:
        if name in fields:
            setattr(round, name, fields[name])
    round.save()
    round.groups.set(groups)
    AuditEntry.record(actor, "conferences.round_changed", round, school=round.school, title=round.title)
    if (round.booking_opens_at, round.planning_at) != before:
        _schedule(round)
    return round


def _schedule(round: Round) -> None:
    """Open the round now or at its time; plan at its planning time. A changed time enqueues a new
    task; the one for the old time finds the time changed and does nothing."""
    from .tasks import open_round, plan_round

    if round.notified_at is None:
        if round.booking_opens_at <= timezone.now():
            open_now(round)
        else:
            _enqueue(open_round, round.booking_opens_at, round.pk, round.booking_opens_at.isoformat())
    if round.planning_at is not None and round.planned_at is None:
        _enqueue(plan_round, round.planning_at, round.pk, round.planning_at.isoformat())


def open_now(round: Round) -> int:
    """Tell the families that booking is open, once (the caller holds the round's row lock or has
    just made it). Where the module is closed for a period, try again the next morning."""
    from .tasks import open_round

    if not open_module_school_ids(MODULE).filter(school_id=round.school_id).exists():
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        moment = datetime.datetime.combine(tomorrow, RETRY_OPENING_AT, tzinfo=local_zone())
        _enqueue(open_round, moment, round.pk, round.booking_opens_at.isoformat())
        return 0
    count = notifications.round_opened(round)
    round.notified_at = timezone.now()
    Round.objects.filter(pk=round.pk).update(notified_at=round.notified_at)
    return count


def open_due_round(round_id: int, opens_at_iso: str) -> bool:
    """The opening task's work: notify if the round still exists, still opens at this time and
    was not announced yet."""
    with transaction.atomic():
        round = Round.objects.select_for_update().filter(pk=round_id).first()
        if round is None or round.notified_at is not None:
            return False
        if round.booking_opens_at != datetime.datetime.fromisoformat(opens_at_iso):
            return False
        if round.booking_opens_at > timezone.now():  # a worker whose clock runs ahead
            _schedule(round)
            return False
        open_now(round)
        return round.notified_at is not None


# --- Sessions and slots --------------------------------------------------------------------------


@transaction.atomic
def add_session(round: Round, actor, *, teacher, group, date, starts_at, ends_at, breaks="", location="") -> Session:
    """A time window with its slots, and the reminder for its day."""
    session = Session.objects.create(
        round=round, teacher=teacher, group=group, date=date, starts_at=starts_at, ends_at=ends_at,
        breaks=breaks, location=location,
    )
    session.round = round
    create_slots(session)
    AuditEntry.record(actor, "conferences.session_added", session, school=round.school, date=str(date))
    schedule_reminder(round, date)
    return session


def schedule_reminder(round: Round, day: datetime.date) -> None:
    from .tasks import send_reminders

    if not round.remind_day_before or day <= timezone.localdate():
        return
    moment = datetime.datetime.combine(day - datetime.timedelta(days=1), REMINDER_TIME, tzinfo=local_zone())
    _enqueue(send_reminders, moment, round.pk, day.isoformat())


@transaction.atomic
def delete_session(session: Session, actor) -> None:
    if Booking.objects.active().filter(slot__session=session).exists():
        raise BookingError(_("Families have booked times in this window; ask them to move first."))
    AuditEntry.record(actor, "conferences.session_deleted", session, school=session.round.school)
    session.delete()


@transaction.atomic
def set_blocked(slot: Slot, blocked: bool, actor) -> Slot:
    """Block a free slot (nobody can book it) or free it again."""
    locked = Slot.objects.select_for_update(of=("self",)).get(pk=slot.pk)
    if blocked and Booking.objects.active().filter(slot=locked).exists():
        raise BookingError(_("This time is booked; it cannot be blocked."))
    if locked.blocked != blocked:
        locked.blocked = blocked
        locked.save(update_fields=["blocked"])
    return locked


def send_due_reminders(round_id: int, day_iso: str) -> int:
    """The reminder task's work: every active booking of that day not reminded yet."""
    day = datetime.date.fromisoformat(day_iso)
    with transaction.atomic():
        round = Round.objects.filter(pk=round_id).select_related("school").first()
        if round is None or not round.remind_day_before:
            return 0
        bookings = list(
            Booking.objects.active()
            .select_for_update(of=("self",))
            .filter(round=round, reminded_at__isnull=True, slot__starts_at__date=day)
            .select_related("slot")
            .order_by("pk")
        )
        if not bookings:
            return 0
        count = notifications.reminders(round, bookings, day)
        Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(reminded_at=timezone.now())
        return count


# --- Pupils --------------------------------------------------------------------------------------


@transaction.atomic
def set_exempt(round: Round, actor, *, student=None, group=None, exempt: bool) -> None:
    """No conference needed for a pupil or a whole group (or needed again)."""
    lookup = {"student": student} if student is not None else {"group": group}
    if exempt:
        Exemption.objects.get_or_create(round=round, **lookup, defaults={"created_by": actor})
    else:
        Exemption.objects.filter(round=round, **lookup).delete()
    AuditEntry.record(actor, "conferences.exempt" if exempt else "conferences.not_exempt", round,
                      school=round.school, student=getattr(student, "pk", None), group=getattr(group, "pk", None))


@transaction.atomic
def set_separate(round: Round, actor, student, separate: bool) -> None:
    """Mark a pupil's guardians as separated for this round: each books their own conversation."""
    if separate:
        round.separate_students.add(student)
    else:
        round.separate_students.remove(student)
    AuditEntry.record(actor, "conferences.separate", round, school=round.school, student=student.pk,
                      separate=separate)


def placement_parties(round: Round, student) -> list[tuple[int, str]]:
    """Whom the school may book for: the family together, and where the guardians book each
    their own, each registered guardian on their own."""
    parties = [(FAMILY, _("the family (all guardians)"))]
    if student.pk in separated_student_ids(round, [student.pk]):
        for slot in Guardianship.objects.filter(student=student, user__isnull=False).select_related("user"):
            parties.append((slot.user_id, slot.display_name))
    return parties


def place(round: Round, actor, student, slot_id: int, *, party: int = FAMILY) -> Appointment:
    """The school books a time for a family that did not (teachers, administration): also after
    booking closed. The family hears about it."""
    group_ids = frozenset(
        Enrollment.objects.filter(student=student, group__in=round.groups.all()).values_list("group_id", flat=True)
    )
    exempt_students, exempt_groups = exemptions(round, [student.pk], list(group_ids))
    if not group_ids or student.pk in exempt_students or group_ids <= exempt_groups:
        raise NotBookable(_("No conference is needed for this pupil in this round."))
    if party not in {p for p, _label in placement_parties(round, student)}:
        raise NotBookable(_("Choose whom the conference is for."))
    appointment = reserve(
        round, [Entry(student.pk, slot_id, party, group_ids)], booked_by=actor, source=Appointment.Source.STAFF,
        event="conferences.placed",
    )
    AuditEntry.record(actor, "conferences.placed", appointment, school=round.school, student=student.pk)
    return appointment
