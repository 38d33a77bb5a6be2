"""Conferences of the demo school (DEMO.md): one round at De Regenboog for groep 6 and groep 3,
open for booking now, on two evenings next week, conversations of ten minutes with a break, in
which separated guardians book each their own. About half of the generated families have booked;
the fixed families (Jansen, De Vries and Bakker, El Moussaoui, Smit, Visser) have not, so that
one can try booking with them: the Jansens get times for Sem (groep 6) and Noor (groep 3) one
after the other. One pupil needs no conference.

The demo sends no notifications: the round counts as announced and no task is queued."""

from __future__ import annotations

import datetime

from django.utils import timezone

from schoolpoort.core.models import Enrollment, Guardianship
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .models import FAMILY, Appointment, Booking, Exemption, Round, Session
from .notifications import round_opened
from .slots import create_slots, local_zone

GRADES = ("6", "3")
EVENING = (datetime.time(18, 30), datetime.time(20, 30))
BOOKED_SHARE = 0.45
# Fixed families book themselves in the browser tests and on the demo.
FIXED_CHILDREN = {"Noor Jansen", "Sem Jansen", "Lotte de Vries", "Yasmina El Moussaoui", "Daan Smit", "Finn Visser"}
# Left free on the first evening so that the Jansens always get back-to-back suggestions.
KEPT_FREE = (datetime.time(18, 50), datetime.time(19, 30))


def evenings(today: datetime.date) -> list[datetime.date]:
    """Tuesday and Thursday of next week."""
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    return [next_monday + datetime.timedelta(days=1), next_monday + datetime.timedelta(days=3)]


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("conferences")
    school = world.schools[REGENBOOG]
    now = timezone.now()
    zone = local_zone()
    days = evenings(timezone.localdate())
    groups = [world.groups[REGENBOOG, grade] for grade in GRADES]
    round = Round.objects.create(
        school=school,
        title="Tienminutengesprekken groep 3 en 6",
        created_by=world.users["directie@regenboog.example"],
        location="In het lokaal van de groep",
        booking_opens_at=now - datetime.timedelta(days=3),
        booking_closes_at=datetime.datetime.combine(days[0], datetime.time(12, 0), tzinfo=zone),
        separated_guardians=Round.GuardianMode.SEPARATELY,
        slot_minutes=10,
        break_every=6,
        break_minutes=10,
        notified_at=now - datetime.timedelta(days=3),
    )
    round.groups.set(groups)
    slots_by_group = {}
    for group, grade in zip(groups, GRADES, strict=True):
        teacher = world.teachers[REGENBOOG, grade][0]
        slots = []
        for day in days:
            session = Session.objects.create(
                round=round, teacher=teacher, group=group, date=day, starts_at=EVENING[0], ends_at=EVENING[1],
                location=f"Lokaal {group.name.lower()}",
            )
            session.round = round
            slots += create_slots(session)
        slots_by_group[group.pk] = slots

    enrollments = list(
        Enrollment.objects.filter(group__in=groups).select_related("student").order_by("group_id", "student__pk")
    )
    pupils = [e for e in enrollments if e.student.full_name not in FIXED_CHILDREN]
    exempt = rng.choice([e for e in pupils if e.group_id == groups[0].pk])
    Exemption.objects.create(round=round, student=exempt.student, created_by=round.created_by)
    guardians = {}
    for slot in Guardianship.objects.filter(student__in=[e.student for e in pupils], user__isnull=False).order_by("pk"):
        guardians.setdefault(slot.student_id, slot.user_id)

    taken = set()
    for enrollment in pupils:
        if enrollment is exempt or enrollment.student_id not in guardians or rng.random() >= BOOKED_SHARE:
            continue
        free = [
            slot for slot in slots_by_group[enrollment.group_id]
            if slot.pk not in taken and not _kept_free(slot, days[0])
        ]
        if not free:
            continue
        slot = rng.choice(free)
        taken.add(slot.pk)
        user_id = guardians[enrollment.student_id]
        appointment = Appointment.objects.create(round=round, party=FAMILY, booked_by_id=user_id)
        Booking.objects.create(
            appointment=appointment, round=round, slot=slot, student=enrollment.student, party=FAMILY,
            booked_by_id=user_id,
        )
    round_opened(round)  # the families are invited as opening the round invites them


def _kept_free(slot, first_evening: datetime.date) -> bool:
    local = timezone.localtime(slot.starts_at)
    return local.date() == first_evening and KEPT_FREE[0] <= local.time() < KEPT_FREE[1]
