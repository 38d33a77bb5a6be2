"""E-mail invitations in one go: the activation link to every guardian slot with a known address
and no account (invite), or again to every invited guardian who has not activated yet (remind).

The worker sends in batches of ``BATCH_SIZE`` over one SMTP connection each and writes the counts
after every batch, so the page shows progress. A recipient the server refuses (SMTP 5xx on RCPT,
``SMTPRecipientsRefused``) is remembered as refused: that guardian needs a letter or a corrected
address, and later invitations skip the address."""

from __future__ import annotations

import logging
import smtplib

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from schoolpoort.accounts.activation import invite_guardian, send_activation_email
from schoolpoort.accounts.guardians import guardian_slots
from schoolpoort.core.models import AuditEntry, Group, Guardianship, School

from .models import BatchStatus, BouncedAddress, MailBatch

logger = logging.getLogger(__name__)
BATCH_SIZE = 50  # messages per SMTP connection; servers often close a session after ~100


def refused_addresses(addresses) -> set[str]:
    return set(
        BouncedAddress.objects.filter(email__in={a.lower() for a in addresses if a}).values_list("email", flat=True)
    )


def mark_refused(email: str, reason: str) -> None:
    BouncedAddress.objects.update_or_create(email=email.strip().lower(), defaults={"reason": reason[:300]})


def _not_activated():
    return {"user__isnull": False, "user__password__startswith": UNUSABLE_PASSWORD_PREFIX}


def invitation_targets(school: School, group: Group | None, kind: str) -> list[int]:
    """Ids of the slots a batch of ``kind`` mails, refused addresses left out."""
    slots = guardian_slots(school, group).prefetch_related(None)
    if kind == MailBatch.Kind.INVITE:
        rows = list(slots.filter(user__isnull=True).exclude(email="").values_list("pk", "email"))
    else:
        rows = list(slots.filter(**_not_activated()).values_list("pk", "user__email"))
    refused = refused_addresses(email for _pk, email in rows)
    return [pk for pk, email in rows if email.lower() not in refused]


@transaction.atomic
def request_mail_batch(school: School, group: Group | None, actor, kind: str) -> MailBatch:
    from .tasks import send_mail_batch

    batch = MailBatch.objects.create(school=school, group=group, kind=kind, requested_by=actor)
    AuditEntry.record(actor, f"onboarding.{kind}_requested", batch, school=school, group=group.pk if group else None)
    transaction.on_commit(lambda: send_mail_batch.enqueue(batch.pk))
    return batch


def send_mail_batch_now(batch_id: int) -> dict:
    claimed = MailBatch.objects.filter(pk=batch_id, status=BatchStatus.PENDING).update(status=BatchStatus.RUNNING)
    if not claimed:
        return {"skipped": True}
    batch = MailBatch.objects.select_related("school", "group").get(pk=batch_id)
    try:
        targets = invitation_targets(batch.school, batch.group, batch.kind)
        for start in range(0, len(targets), BATCH_SIZE):
            counts = _send_chunk(batch, targets[start : start + BATCH_SIZE])
            MailBatch.objects.filter(pk=batch_id).update(**{k: F(k) + v for k, v in counts.items()})
    except Exception as exc:
        logger.exception("Mail batch %s failed", batch_id)
        MailBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    MailBatch.objects.filter(pk=batch_id).update(status=BatchStatus.DONE, finished_at=timezone.now())
    batch.refresh_from_db()
    return {"sent": batch.sent, "bounced": batch.bounced, "skipped": batch.skipped, "failed": batch.failed}


def _send_chunk(batch: MailBatch, slot_ids: list[int]) -> dict:
    counts = {"sent": 0, "bounced": 0, "skipped": 0, "failed": 0}
    slots = Guardianship.objects.select_related("student__school", "user").filter(
        pk__in=slot_ids, student__archived_at__isnull=True
    )
    connection = get_connection()
    connection.open()
    try:
        for slot in slots:
            address = slot.user.email if slot.user_id else slot.email
            try:
                if batch.kind == MailBatch.Kind.INVITE:
                    if slot.user_id is not None:  # registered or invited since the batch was asked for
                        counts["skipped"] += 1
                        continue
                    invite_guardian(slot, connection)
                else:
                    if slot.user_id is None or slot.user.has_usable_password():  # activated meanwhile
                        counts["skipped"] += 1
                        continue
                    send_activation_email(slot.user, slot.student, connection)
                counts["sent"] += 1
            except smtplib.SMTPRecipientsRefused as exc:
                mark_refused(address, "; ".join(f"{code} {text!r}" for code, text in exc.recipients.values()))
                counts["bounced"] += 1
            except (smtplib.SMTPException, OSError) as exc:
                # A lost connection or a temporary refusal: count it, reconnect, go on with the rest.
                logger.warning("Invitation to slot %s failed: %r", slot.pk, exc)
                counts["failed"] += 1
                connection.close()
                connection = get_connection()
                connection.open()
    finally:
        connection.close()
    return counts
