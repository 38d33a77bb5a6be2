"""Actions on the calendar that the pages and the API share. Each is atomic; the caller has
decided that the actor may do it (``Event.objects.manageable_by``)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from schoolpoort.core.models import AuditEntry

from .feed import hash_token, new_token
from .models import Event, FeedToken

# What a form or the API may set on an event.
EVENT_FIELDS = (
    "audience", "board", "school", "title", "description", "location", "category", "all_day",
    "starts_on", "ends_on", "start_time", "end_time", "rrule", "exdates", "during_holidays",
    "cancelled",
)


@transaction.atomic
def create_event(actor, *, groups=(), **fields) -> Event:
    event = Event(created_by=actor, **{name: value for name, value in fields.items() if name in EVENT_FIELDS})
    event.save()
    if groups:
        event.groups.set(groups)
    AuditEntry.record(actor, "calendar.created", event, school=event.school, title=event.title)
    return event


@transaction.atomic
def update_event(event: Event, actor, *, groups=(), **fields) -> bool:
    """Change the event; every change raises its SEQUENCE so agendas take it over. Returns
    whether anything changed."""
    changed = [name for name in EVENT_FIELDS if name in fields and getattr(event, name) != fields[name]]
    for name in changed:
        setattr(event, name, fields[name])
    new_groups = {group.pk for group in groups}
    groups_changed = new_groups != set(event.groups.values_list("pk", flat=True))
    if not changed and not groups_changed:
        return False
    event.sequence = F("sequence") + 1
    event.save()
    event.refresh_from_db(fields=["sequence", "updated_at"])
    if groups_changed:
        event.groups.set(groups)
    AuditEntry.record(actor, "calendar.changed", event, school=event.school,
                      changed=changed + (["groups"] if groups_changed else []))
    return True


@transaction.atomic
def cancel_event(event: Event, actor) -> bool:
    """Cancel: the event stays, in agendas too, marked as cancelled."""
    if event.cancelled:
        return False
    event.cancelled = True
    event.sequence = F("sequence") + 1
    event.save(update_fields=["cancelled", "sequence", "updated_at"])
    event.refresh_from_db(fields=["sequence", "updated_at"])
    AuditEntry.record(actor, "calendar.cancelled", event, school=event.school)
    return True


@transaction.atomic
def issue_feed_token(user) -> str:
    """A new secret agenda link for ``user``; the previous link stops working. Returns the token,
    which is not stored anywhere: show it once."""
    token = new_token()
    FeedToken.objects.update_or_create(
        user=user,
        defaults={"token_hash": hash_token(token), "created_at": timezone.now(), "content_hash": "",
                  "content_changed_at": None},
    )
    AuditEntry.record(user, "calendar.feed_link_made")
    return token


@transaction.atomic
def revoke_feed_token(user) -> bool:
    deleted, _count = FeedToken.objects.filter(user=user).delete()
    if deleted:
        AuditEntry.record(user, "calendar.feed_link_stopped")
    return bool(deleted)
