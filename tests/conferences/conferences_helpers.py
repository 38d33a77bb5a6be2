"""Helpers of the conference tests: rounds, time windows and families made directly (no tasks
queued unless a test asks for the actions), and the worker."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.utils import timezone
from django_scopes import scope
from django_tasks_db.models import DBTaskResult

from schoolpoort.conferences.models import Round, Session, Slot
from schoolpoort.conferences.slots import create_slots, local_zone
from schoolpoort.notify.models import Broadcast
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student

DAY = datetime.timedelta(days=1)


def english(*users):
    """Pages in English: the assertions read the English strings."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def run_worker():
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def conference_day(days: int = 4) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_round(world, *, groups=None, mode=Round.GuardianMode.TOGETHER, opens=None, closes=None, planning_at=None,
               creator=None, announced=True, **fields) -> Round:
    """A round of the world's school, open now until two days ahead (the conversations are after)."""
    now = timezone.now()
    round = Round.objects.create(
        school=world.school,
        title=fields.pop("title", "Oudergesprekken"),
        created_by=creator or world.users["director"],
        booking_opens_at=opens or now - DAY,
        booking_closes_at=closes or now + 2 * DAY,
        planning_at=planning_at,
        separated_guardians=mode,
        notified_at=now if announced else None,
        **fields,
    )
    round.groups.set(groups or [world.group3])
    return round


def add_session(round, teacher, group, *, day=None, start=(19, 0), end=(20, 0), breaks="", location="") -> Session:
    session = Session.objects.create(
        round=round, teacher=teacher, group=group, date=day or conference_day(),
        starts_at=datetime.time(*start), ends_at=datetime.time(*end), breaks=breaks, location=location,
    )
    session.round = round
    create_slots(session)
    return session


def slots(round, teacher=None) -> list[Slot]:
    found = Slot.objects.filter(round=round).order_by("starts_at", "teacher_id", "pk")
    if teacher is not None:
        found = found.filter(teacher=teacher)
    return list(found)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=local_zone())


def family(group, *children_groups, guardians: int = 1, hides: bool = False, **names):
    """A family with children in ``group`` (and ``children_groups``), its guardians registered.
    Returns (guardian users, children)."""
    users = [UserFactory() for _ in range(guardians)]
    children = []
    for child_group in (group, *children_groups):
        child = enrolled_student(child_group, **names)
        for n, user in enumerate(users):
            GuardianshipFactory(student=child, user=user, hides_contact_from_other_guardians=hides and n == 1)
        children.append(child)
    return users, children


def broadcasts(event: str):
    return Broadcast.objects.filter(event=event).order_by("pk")


def recipients(event: str) -> list[int]:
    return sorted({uid for b in broadcasts(event) for uid in b.recipient_ids})


def tasks(name: str):
    return DBTaskResult.objects.filter(task_path__endswith=name)
