"""Registration letters: one A4 page per guardian slot without an account, each with a freshly
issued registration code and a QR code that opens the registration page with the code filled in.

Codes are stored hashed, so a letter can only print a code made for it. Making letters therefore
issues new codes, and the older unused codes of those slots stop working: only the newest letter
of a guardian works (the page says so before anyone asks for letters).

The PDF is rendered first, outside any transaction (WeasyPrint takes a while for a whole school);
the codes are written and the file stored in one short transaction afterwards, so a failed render
leaves every earlier letter valid."""

from __future__ import annotations

import base64
import datetime
import logging
import mimetypes

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode

from schoolpoort.accounts.guardians import guardian_slots
from schoolpoort.accounts.models import RegistrationCode
from schoolpoort.accounts.registration import generate_code, hash_code
from schoolpoort.core.models import AuditEntry, Group, School
from schoolpoort.lib import dates
from schoolpoort.lib.text import plain_text

from .models import BatchStatus, BouncedAddress, LetterBatch

logger = logging.getLogger(__name__)


def letter_slots(school: School, group: Group | None = None, only_without_email: bool = False) -> list:
    """The guardian slots that get a letter: no account linked yet (an invited guardian whose
    account waits for activation cannot use a code; they get the activation mail again). With
    ``only_without_email``: those the school cannot reach by e-mail (none known, or refused)."""
    slots = list(guardian_slots(school, group).filter(user__isnull=True))
    if only_without_email:
        refused = set(
            BouncedAddress.objects.filter(email__in=[s.email.lower() for s in slots if s.email]).values_list(
                "email", flat=True
            )
        )
        slots = [s for s in slots if not s.email or s.email.lower() in refused]
    return slots


def registration_url(plain_code: str) -> str:
    return f"{settings.SITE_URL}{reverse('accounts:register')}?{urlencode({'code': plain_code})}"


def qr_data_uri(url: str) -> str:
    # Error correction M survives a crumpled letter; the SVG stays sharp at any print size.
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4, dark="#000")


def logo_data_uri(school: School) -> str:
    """The school's logo inline, read through the storage (also S3); empty without a logo."""
    if not school.logo:
        return ""
    try:
        with school.logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        return ""
    content_type = mimetypes.guess_type(school.logo.name)[0] or "image/png"
    return f"data:{content_type};base64,{base64.b64encode(data).decode()}"


@transaction.atomic
def request_letters(
    school: School, group: Group | None, actor, *, only_without_email: bool = False, language: str = "nl"
) -> LetterBatch:
    """A letter batch to be made by the worker (enqueued when the transaction commits)."""
    from .tasks import make_letters

    batch = LetterBatch.objects.create(
        school=school, group=group, requested_by=actor, language=language, only_without_email=only_without_email
    )
    AuditEntry.record(actor, "onboarding.letters_requested", batch, school=school, group=group.pk if group else None)
    transaction.on_commit(lambda: make_letters.enqueue(batch.pk))
    return batch


def _fresh_codes(count: int) -> list[str]:
    """``count`` different codes that no stored code has (a clash is one in 21^8, checked anyway)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.update(generate_code() for _ in range(count - len(codes)))
        taken = set(
            RegistrationCode.objects.filter(code_hash__in=[hash_code(c) for c in codes]).values_list(
                "code_hash", flat=True
            )
        )
        codes = {c for c in codes if hash_code(c) not in taken}
    return sorted(codes)


def render_pdf(school: School, letters: list[dict], language: str) -> tuple[bytes, int]:
    """The PDF of ``letters`` (dicts with slot, code, url, qr) and its number of pages."""
    from weasyprint import HTML  # heavy: imported where it is used, in the worker

    with translation.override(language):
        html = render_to_string(
            "onboarding/letters_pdf.html",
            {
                "school": school,
                "logo": logo_data_uri(school),
                "letters": letters,
                "register_url": f"{settings.SITE_URL}{reverse('accounts:register')}",
                "help_url": f"{settings.SITE_URL}{reverse('onboarding:help')}",
            },
        )
    # Names are free text: control characters and Unicode line separators (which WeasyPrint
    # trips over) go; in HTML every line break is a space anyway (lib/text.py).
    document = HTML(string=plain_text(html), base_url=settings.SITE_URL).render()
    return document.write_pdf(), len(document.pages)


def make_letters_now(batch_id: int) -> dict:
    """The work of the task: claim the batch, render, then store codes and file together."""
    claimed = LetterBatch.objects.filter(pk=batch_id, status=BatchStatus.PENDING).update(status=BatchStatus.RUNNING)
    if not claimed:
        return {"skipped": True}  # another worker has it, or it is done
    batch = LetterBatch.objects.select_related("school", "group").get(pk=batch_id)
    try:
        return _make(batch)
    except Exception as exc:
        logger.exception("Letter batch %s failed", batch_id)
        LetterBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        return {"failed": str(exc)[:300]}


def _make(batch: LetterBatch) -> dict:
    school = batch.school
    slots = letter_slots(school, batch.group, batch.only_without_email)
    now = timezone.now()
    expires_at = now + datetime.timedelta(days=school.registration_code_days)
    groups = {g.pk: g for g in Group.objects.filter(pk__in={s.current_group_id for s in slots} - {None})}
    plain_codes = _fresh_codes(len(slots))
    letters = []
    with translation.override(batch.language):
        deadline = dates.style(expires_at, "formal")
    for slot, plain in zip(slots, plain_codes, strict=True):
        url = registration_url(plain)
        letters.append(
            {
                "slot": slot,
                "group": groups.get(slot.current_group_id),
                "code": plain,
                "url": url,
                "qr": qr_data_uri(url),
                "deadline": deadline,
            }
        )
    pdf, pages = render_pdf(school, letters, batch.language) if letters else (b"", 0)
    try:
        with transaction.atomic():
            slot_ids = [s.pk for s in slots]
            # Only the newest letter works: earlier unused codes of these slots expire now.
            RegistrationCode.objects.filter(
                guardianship_id__in=slot_ids, used_at__isnull=True, expires_at__gt=now
            ).update(expires_at=now)
            RegistrationCode.objects.bulk_create(
                RegistrationCode(guardianship_id=s.pk, code_hash=hash_code(c), expires_at=expires_at)
                for s, c in zip(slots, plain_codes, strict=True)
            )
            batch.page_count = pages
            if pdf:
                batch.file.save("letters.pdf", ContentFile(pdf), save=False)
            batch.status = BatchStatus.DONE
            batch.finished_at = timezone.now()
            batch.save(update_fields=["page_count", "file", "status", "finished_at"])
    except IntegrityError:  # a code made elsewhere in the same instant: nothing stored, ask again
        raise RuntimeError("A registration code clashed; request the letters again.") from None
    return {"pages": pages}
