"""Conversation history for the school's records: one conversation as plain text, or all of a
school's conversations in a period as CSV.

Who: the administration, the director and the board admins of the school. What: the
teacher–parent conversations they may see (``visible_to``: the ones they take part in, and all of
the school's when the school lets its leadership read them); never conversations between
parents. Every export is written to the audit log, and so is, per conversation, a reading as
director of one the exporter takes no part in."""

from __future__ import annotations

import datetime
import io

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core.audit import audit_read, read_part
from schoolpoort.core.models import AuditEntry, Student
from schoolpoort.lib import dates
from schoolpoort.lib.csv import spreadsheet_writer

from .models import Conversation, Message, Participant, person_name

EXPORT = read_part("messages_export", gettext_lazy("Messages (export)"))


def exportable(user, school):
    return (
        Conversation.objects.visible_to(user)
        .filter(school=school, between_parents=False)
        .select_related("school", "group", "about_student")
        .prefetch_related(Prefetch("participants", queryset=Participant.objects.select_related("user", "student")))
    )


def _messages(queryset):
    return queryset.select_related("sender").prefetch_related("attachments").order_by("created_at", "pk")


def _local(moment) -> str:
    return dates.style(moment, "sortable")


def _participants(conversation) -> str:
    return ", ".join(f"{p.name} ({p.label})" for p in conversation.participants.all() if p.left_at is None)


@transaction.atomic
def _audit(user, school, conversations, obj, **detail) -> None:
    AuditEntry.record(user, "messaging.exported", obj, school=school, conversations=len(conversations), **detail)
    unread_by_user = [c for c in conversations if not any(p.user_id == user.pk for p in c.participants.all())]
    AuditEntry.objects.bulk_create([
        AuditEntry(actor=user, school=school, action="messaging.read_as_director",
                   object_type=c._meta.label_lower, object_id=str(c.pk), detail={"via": "export"})
        for c in unread_by_user
    ])
    # The pupils the conversations are about, or whose parents take part: a read of each.
    pupils = {c.about_student_id for c in conversations} | {
        p.student_id for c in conversations for p in c.participants.all()
    }
    audit_read(user, [Student(pk=pk, school_id=school.pk) for pk in sorted(pupils - {None})], EXPORT, school=school)


def conversation_text(user, conversation) -> str:
    """One conversation as plain text (the caller has checked it is exportable by the user)."""
    lines = [
        f"{_('Subject')}: {conversation.subject}",
        f"{_('School')}: {conversation.school.name}",
    ]
    if conversation.group_id:
        lines.append(f"{_('Group')}: {conversation.group.name}")
    if conversation.about_student_id:
        lines.append(_("About") + f": {conversation.about_student.full_name}")  # xgettext skips f-strings
    lines += [
        _("Participants") + f": {_participants(conversation)}",
        _("Exported by") + f": {person_name(user)}, {_local(timezone.now())}",
        "",
    ]
    for message in _messages(conversation.messages.all()):
        lines.append(f"--- {_local(message.created_at)} · {message.sender_name}"
                     + (f" ({_('automatic reply')})" if message.auto_reply else ""))
        lines.append(message.body)
        lines += [f"[{_('attachment')}: {a.original_name}]" for a in message.attachments.all()]
        lines.append("")
    if conversation.closed_at:
        lines.append(_("Closed on %(date)s.") % {"date": dates.style(conversation.closed_at, "day_time")})
    _audit(user, conversation.school, [conversation], conversation)
    return "\n".join(lines) + "\n"


def school_csv(user, school, start: datetime.date, end: datetime.date) -> str:
    """Every message of the exportable conversations sent from ``start`` to ``end`` (inclusive)."""
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    conversations = list(exportable(user, school).filter(messages__created_at__gte=since,
                                                          messages__created_at__lt=until).distinct())
    by_id = {c.pk: c for c in conversations}
    messages = _messages(Message.objects.filter(conversation_id__in=by_id, created_at__gte=since,
                                                created_at__lt=until))
    out = io.StringIO()
    writer = spreadsheet_writer(out)
    writer.writerow([_("conversation"), _("subject"), _("group"), _("about"), _("participants"), _("sent at"),
                     _("from"), _("message"), _("attachments"), _("closed at")])
    for message in messages.order_by("conversation_id", "created_at", "pk"):
        c = by_id[message.conversation_id]
        writer.writerow((
            c.pk, c.subject, c.group.name if c.group_id else "",
            c.about_student.full_name if c.about_student_id else "", _participants(c),
            _local(message.created_at), message.sender_name, message.body,
            "; ".join(a.original_name for a in message.attachments.all()),
            _local(c.closed_at) if c.closed_at else "",
        ))
    _audit(user, school, conversations, school, start=start.isoformat(), end=end.isoformat())
    return out.getvalue()
