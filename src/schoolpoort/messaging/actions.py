"""Actions on messages that the pages and the API share. Each is atomic; notifications go through
``notify()`` inside the same transaction, so they commit (or roll back) with the message. A
notification says who wrote, never what: the title is "New message from …" and no more."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.core.hiding import hidden_user_ids_q
from schoolpoort.core.models import AuditEntry, Group, Guardianship, StaffMembership
from schoolpoort.lib.uploads import CheckedFile
from schoolpoort.notify.api import mark_read_under, notify

from .access import MODULE
from .models import (
    Conversation,
    Message,
    ParentContactConsent,
    Participant,
    Report,
    SchoolMessagingSettings,
    TeacherAvailability,
    person_name,
)
from .recipients import SEPARATE, TOGETHER, Recipient
from .uploads import store_upload

AUTO_REPLY_EVERY = datetime.timedelta(hours=24)


class Refused(Exception):
    """The message cannot be added; the text says why, for the person writing."""


def _in_languages(users, make_title):
    """(user ids, title) per language of the recipients: each reads the title in their own."""
    by_language: dict[str, list[int]] = defaultdict(list)
    for user in users:
        by_language[getattr(user, "language", "") or "nl"].append(user.pk)
    for language, ids in sorted(by_language.items()):
        with translation.override(language):
            yield ids, make_title()


def _notify_message(message: Message, conversation: Conversation, users, sender) -> None:
    if not users:
        return
    name = person_name(sender)
    for ids, title in _in_languages(users, lambda: _("New message from %(name)s") % {"name": name}):
        notify(
            ids,
            event="messaging.message",
            key=message.notification_key,
            module=MODULE,
            title=title,
            url=f"{conversation.get_absolute_url()}#message-{message.pk}",
            school=conversation.school_id,
        )


def _store_attachments(message: Message, uploads, stored_before=None) -> list:
    stored = []
    for index, prepared in enumerate(uploads):
        reuse = stored_before[index] if stored_before else None
        stored.append(store_upload(message, prepared, reuse=reuse))
    return stored


@transaction.atomic
def start_conversations(
    sender, recipient: Recipient, *, subject: str, body: str, mode: str = SEPARATE,
    uploads: list[CheckedFile] = (),
) -> list[Conversation]:
    """Start the conversations the chosen recipient stands for (one, or one per family), each
    with the first message. ``recipient`` comes from ``recipient_options(sender)``."""
    now = timezone.now()
    together = recipient.is_group and mode == TOGETHER
    conversations = []
    stored_before = None
    for members in recipient.conversations(mode):
        conversation = Conversation.objects.create(
            school=recipient.school,
            subject=subject,
            kind=Conversation.Kind.GROUP if together else Conversation.Kind.DIRECT,
            between_parents=recipient.kind == "parent",
            group=recipient.group,
            about_student_id=None if together else (recipient.student_id or _only_child(members)),
            created_by=sender,
            created_at=now,
            last_message_at=now,
        )
        others = [member for member in members if member.user.pk != sender.pk]
        Participant.objects.bulk_create(
            [Participant(conversation=conversation, user=sender, role=recipient.sender_role,
                         student_id=recipient.sender_student_id, joined_at=now, last_read_at=now)]
            + [Participant(conversation=conversation, user=member.user, role=member.role,
                           student_id=member.student_id, joined_at=now) for member in others]
        )
        message = Message.objects.create(conversation=conversation, sender=sender, body=body, created_at=now)
        stored_before = _store_attachments(message, uploads, stored_before)
        _notify_message(message, conversation, [member.user for member in others], sender)
        if recipient.sender_role == Participant.Role.GUARDIAN:
            _auto_replies(conversation, [m.user.pk for m in others if m.role != Participant.Role.GUARDIAN], now)
        conversations.append(conversation)
    return conversations


def _only_child(members) -> int | None:
    children = {member.student_id for member in members if member.student_id}
    return children.pop() if len(children) == 1 else None


def parents_may_still_write(conversation: Conversation) -> bool:
    """A conversation between parents stays open for new messages only while the school allows
    it, every parent in it still allows messages from the other parents of the group, and none of
    them hides from the parent who started it."""
    if not conversation.between_parents:
        return True
    settings = SchoolMessagingSettings.for_school(conversation.school_id)
    if not settings.parent_to_parent or conversation.group_id is None:
        return False
    user_ids = set(
        Participant.objects.filter(conversation=conversation, left_at__isnull=True).values_list("user_id", flat=True)
    )
    consenting = set(
        ParentContactConsent.objects.filter(group_id=conversation.group_id, user_id__in=user_ids)
        .filter(
            user__guardianships__sees_class_pages=True,
            user__guardianships__student__archived_at__isnull=True,
            user__guardianships__student__enrollments__group_id=conversation.group_id,
        )
        .values_list("user_id", flat=True)
    )
    if len(user_ids) < 2 or consenting != user_ids:
        return False
    # A parent who started it may no longer reach one who since keeps their details from them
    # (``core.hiding``: the school learnt they are separated); the hider may go on writing.
    return not hidden_user_ids_q(conversation.created_by).filter(user_id__in=user_ids).exists()


def refusal(conversation: Conversation) -> str | None:
    """Why no message can be added now, or None."""
    if conversation.is_closed:
        return _("This conversation has been closed: no new messages can be added.")
    if conversation.between_parents and not parents_may_still_write(conversation):
        return _("Messages between these parents are no longer possible: one of you, or the school, no longer "
                 "allows them.")
    return None


@transaction.atomic
def post_message(conversation: Conversation, sender, body: str, uploads: list[CheckedFile] = ()) -> Message:
    """Add a message from an active participant; Refused when the conversation is closed (or no
    longer allowed between parents)."""
    # Lock the conversation row only (not the school joined to it): messages to one conversation
    # are added one at a time, other conversations go on.
    locked = Conversation.objects.select_for_update(of=("self",)).select_related("school").get(pk=conversation.pk)
    me = Participant.objects.filter(conversation=locked, user=sender, left_at__isnull=True).first()
    if me is None:
        raise Refused(_("You no longer take part in this conversation."))
    reason = refusal(locked)
    if reason:
        raise Refused(reason)
    now = timezone.now()
    message = Message.objects.create(conversation=locked, sender=sender, body=body, created_at=now)
    _store_attachments(message, uploads)
    Conversation.objects.filter(pk=locked.pk).update(last_message_at=now)
    Participant.objects.filter(pk=me.pk).update(last_read_at=now)
    others = list(
        Participant.objects.filter(conversation=locked, left_at__isnull=True)
        .exclude(user=sender)
        .select_related("user")
    )
    _notify_message(message, locked, [p.user for p in others if not p.muted], sender)
    if me.role == Participant.Role.GUARDIAN:
        _auto_replies(locked, [p.user_id for p in others if p.is_staff], now)
    conversation.last_message_at = now
    return message


def _auto_replies(conversation: Conversation, staff_ids: list[int], now) -> None:
    """A staff member's automatic reply, at most once a day per conversation. No notification:
    the parent sees it under their own message."""
    if not staff_ids:
        return
    away = list(
        TeacherAvailability.objects.filter(school_id=conversation.school_id, user_id__in=staff_ids, auto_reply_on=True)
        .exclude(auto_reply="")
    )
    if not away:
        return
    recent = set(
        Message.objects.filter(
            conversation=conversation, auto_reply=True, sender_id__in=[a.user_id for a in away],
            created_at__gt=now - AUTO_REPLY_EVERY,
        ).values_list("sender_id", flat=True)
    )
    Message.objects.bulk_create([
        Message(conversation=conversation, sender_id=a.user_id, body=a.auto_reply.strip(), auto_reply=True,
                created_at=now)
        for a in sorted(away, key=lambda a: a.user_id) if a.user_id not in recent
    ])


def mark_read(conversation: Conversation, user) -> None:
    """The user has seen the conversation up to now: it is no longer unread, nor are the
    notifications about it."""
    now = timezone.now()
    Participant.objects.filter(conversation=conversation, user=user, left_at__isnull=True).update(last_read_at=now)
    mark_read_under(user, conversation.notification_prefix)


def record_leadership_read(user, conversation: Conversation, **detail) -> None:
    """A director or board admin read a conversation they are not part of (the school allows it)."""
    AuditEntry.record(user, "messaging.read_as_director", conversation, school=conversation.school, **detail)


@transaction.atomic
def set_muted(participant: Participant, muted: bool) -> None:
    Participant.objects.filter(pk=participant.pk).update(muted=muted)
    participant.muted = muted


@transaction.atomic
def close(conversation: Conversation, user) -> None:
    now = timezone.now()
    Conversation.objects.filter(pk=conversation.pk).update(closed_at=now, closed_by=user)
    conversation.closed_at, conversation.closed_by = now, user
    AuditEntry.record(user, "messaging.closed", conversation, school=conversation.school)


@transaction.atomic
def reopen(conversation: Conversation, user) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(closed_at=None, closed_by=None)
    conversation.closed_at = conversation.closed_by = None
    AuditEntry.record(user, "messaging.reopened", conversation, school=conversation.school)


def school_office_and_leadership(school) -> list:
    return [
        row.user
        for row in StaffMembership.objects.filter(school=school, role__in=("administration", "director"))
        .select_related("user")
        .order_by("user_id")
        if row.user.is_active
    ]


@transaction.atomic
def report(conversation: Conversation, reporter, reason: str) -> Report:
    """A parent reports the conversation; the school's office and director are told (that there is
    a report, not what it says)."""
    created = Report.objects.create(conversation=conversation, reporter=reporter, reason=reason)
    people = list({user.pk: user for user in school_office_and_leadership(conversation.school)}.values())
    url = reverse("messaging:reports", args=[conversation.school_id])
    for ids, title in _in_languages(people, lambda: _("A conversation has been reported")):
        notify(ids, event="messaging.reported", key=f"messaging.report:{created.pk}", module=MODULE,
               title=title, url=url, school=conversation.school_id)
    return created


@transaction.atomic
def handle_report(report_row: Report, user) -> None:
    now = timezone.now()
    Report.objects.filter(pk=report_row.pk).update(handled_at=now, handled_by=user)
    report_row.handled_at, report_row.handled_by = now, user


@transaction.atomic
def save_school_settings(settings: SchoolMessagingSettings, user, changed: list[str]) -> None:
    settings.save()
    if changed:
        AuditEntry.record(
            user, "messaging.settings_changed", settings.school, school=settings.school,
            directors_may_read=settings.directors_may_read, parent_to_parent=settings.parent_to_parent,
            changed=sorted(changed),
        )


@transaction.atomic
def set_consents(user, offered_group_ids, allowed_group_ids) -> None:
    """The parent's choice for each offered group: messages from other parents allowed or not."""
    offered, allowed = set(offered_group_ids), set(allowed_group_ids) & set(offered_group_ids)
    ParentContactConsent.objects.filter(user=user, group_id__in=offered - allowed).delete()
    ParentContactConsent.objects.bulk_create(
        [ParentContactConsent(user=user, group_id=group_id) for group_id in sorted(allowed)], ignore_conflicts=True
    )


def consent_groups(user, school_ids):
    """The current groups of the user's children where the user sees class pages, at the given
    schools: where they may allow messages from other parents."""
    children = Guardianship.objects.filter(
        user=user, sees_class_pages=True, student__archived_at__isnull=True
    ).values("student_id")
    return (
        Group.objects.current()
        .filter(school_id__in=school_ids)
        .filter(Q(enrollments__student_id__in=children))
        .distinct()
        .select_related("school")
        .order_by("school__name", "grades", "name")
    )
