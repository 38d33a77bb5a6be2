"""Who gets what, on which channel and when: one plan per recipient, from their preference for
the module, their guardianships' mail flag, their push devices and the school's quiet hours.
The fan-out turns plans into rows; ``preview()`` counts them. A chunk of recipients costs four
queries, whatever its size."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from schoolpoort.core.models import Guardianship

from . import timing
from .models import Preference, PushSubscription, QuietHours

CHUNK = 1000  # recipients per round of queries (well below SQLite's limit on query parameters)

EMAIL_NOW, EMAIL_DIGEST, EMAIL_NONE = "now", "digest", "none"


@dataclass
class Plan:
    user_id: int
    email: str = EMAIL_NONE  # now, digest or none
    digest_at: datetime.datetime | None = None  # when email == digest
    push_devices: list[int] = field(default_factory=list)  # PushSubscription ids
    push_at: datetime.datetime | None = None  # the morning after quiet hours, or None for now


def chunks(ids: list[int], size: int = CHUNK) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def recipient_ids(recipients: Iterable) -> list[int]:
    """Users, user ids or a queryset of users as a sorted list of distinct ids."""
    from django.db.models import QuerySet

    if isinstance(recipients, QuerySet) and issubclass(recipients.model, get_user_model()):
        return sorted(set(recipients.values_list("pk", flat=True)))
    ids = set()
    for item in recipients:
        if item is not None:  # e.g. the user id of a guardian slot nobody registered for yet
            ids.add(int(item.pk) if hasattr(item, "pk") else int(item))
    return sorted(ids)


def quiet_for(school_id: int | None) -> timing.Quiet:
    row = QuietHours.objects.filter(school_id=school_id).first() if school_id else None
    return timing.Quiet.of(row)


def plan_chunk(
    user_ids: list[int], *, module: str, urgent: bool, quiet: timing.Quiet, now: datetime.datetime
) -> list[Plan]:
    """The plans of the active users among ``user_ids`` (deleted or inactive users get nothing)."""
    users = list(get_user_model().objects.filter(pk__in=user_ids, is_active=True).values_list("pk", flat=True))
    devices: dict[int, list[int]] = defaultdict(list)
    subscriptions = PushSubscription.objects.filter(user_id__in=user_ids)
    if not urgent:
        subscriptions = subscriptions.filter(enabled=True)
    for sub_id, user_id in subscriptions.order_by("pk").values_list("pk", "user_id"):
        devices[user_id].append(sub_id)

    if urgent:  # everyone, on every channel, now: preferences, digests and quiet hours skipped
        return [Plan(uid, email=EMAIL_NOW, push_devices=devices[uid]) for uid in users]

    preferences = {
        uid: (email, push)
        for uid, email, push in Preference.objects.filter(user_id__in=user_ids, module=module).values_list(
            "user_id", "email", "push"
        )
    }
    # A user with guardianships, none of which receives mail, gets no e-mail.
    has_guardianship, receives_mail = set(), set()
    for uid, flag in Guardianship.objects.filter(user_id__in=user_ids).values_list("user_id", "receives_mail"):
        has_guardianship.add(uid)
        if flag:
            receives_mail.add(uid)
    push_at = quiet.next_allowed(now) if quiet.is_quiet(now) else None
    digest_times: dict[str, datetime.datetime] = {}

    plans = []
    for uid in users:
        email_choice, push_on = preferences.get(uid, (Preference.Email.IMMEDIATE, True))
        plan = Plan(uid)
        if uid in has_guardianship and uid not in receives_mail:
            plan.email = EMAIL_NONE
        elif email_choice == Preference.Email.IMMEDIATE:
            plan.email = EMAIL_NOW
        elif email_choice in (Preference.Email.DAILY, Preference.Email.WEEKLY):
            if email_choice not in digest_times:
                digest_times[email_choice] = timing.next_digest_at(email_choice, now)
            plan.email, plan.digest_at = EMAIL_DIGEST, digest_times[email_choice]
        if push_on:
            plan.push_devices, plan.push_at = devices[uid], push_at
        plans.append(plan)
    return plans


def preview(recipients: Iterable, module: str, urgent: bool = False, school=None) -> dict:
    """What ``notify()`` with these arguments would do now, counted: recipients who get an e-mail
    at once, in a digest or not at all, and push devices reached at once or held for quiet hours.
    For the author's "N families will be notified now" before sending."""
    ids = recipient_ids(recipients)
    now = timing.now()
    quiet = quiet_for(getattr(school, "pk", school))
    counts = {"recipients": 0, "email_now": 0, "email_digest": 0, "email_none": 0, "push_now": 0, "push_held": 0}
    for chunk in chunks(ids):
        for plan in plan_chunk(chunk, module=module, urgent=urgent, quiet=quiet, now=now):
            counts["recipients"] += 1
            counts[f"email_{plan.email}"] += 1
            counts["push_held" if plan.push_at else "push_now"] += len(plan.push_devices)
    return counts
