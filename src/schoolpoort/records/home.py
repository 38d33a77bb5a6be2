"""Records on the home page of guardians (see lib/home.py): open invoices and the status of their
correction requests handled in the last two weeks.

Invoices follow each school's settings as the invoices page does (``access.visible_parts``): the
records module open, the invoices part switched on, not in a closed period that closes invoices,
and for a guardian without parental authority only where the school opens invoices to them. The
children, their schools and the module states come from the home overview (no query); the block
then costs at most four queries, whatever the number of children or schools: the schools' records
settings, their closed periods in force, the invoices, the handled requests."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import guardian_student_ids
from schoolpoort.lib.home import HomeBlock, Link

from .access import MODULE
from .models import ClosedPeriod, CorrectionRequest, Invoice, Part, RecordsSettings

RECENT = datetime.timedelta(days=14)


def _open_school_ids(overview) -> set[int]:
    return {
        modules.school.pk
        for modules in overview.modules
        if any(state.info.code == MODULE and state.is_open for state in modules.states)
    }


def invoice_student_ids(overview, today: datetime.date | None = None) -> list[int]:
    """The guardian's children whose invoices the guardian may see today (two queries at most)."""
    today = today or timezone.localdate()
    open_schools = _open_school_ids(overview)
    children = [child for child in overview.children if child.school.pk in open_schools]
    if not children:
        return []
    school_ids = {child.school.pk for child in children}
    settings = {row.school_id: row for row in RecordsSettings.objects.filter(school_id__in=school_ids)}
    closed = {
        period.school_id
        for period in ClosedPeriod.objects.filter(school_id__in=school_ids).in_force(today)
        if period.closes(Part.INVOICES)
    }
    allowed = []
    for child in children:
        school_id = child.school.pk
        # A school without a settings row has the defaults (made on first use elsewhere).
        school_settings = settings.get(school_id) or RecordsSettings(school_id=school_id)
        if not school_settings.is_on(Part.INVOICES) or school_id in closed:
            continue
        if not child.guardianship.has_parental_authority and not school_settings.open_to_guardian_without_authority(
            Part.INVOICES
        ):
            continue
        allowed.append(child.student.pk)
    return allowed


def home_block(request, overview) -> HomeBlock | None:
    if not getattr(overview, "children", None):
        return None
    user = request.user
    invoices = []
    student_ids = invoice_student_ids(overview)
    if student_ids:
        invoices = list(
            Invoice.objects.filter(student_id__in=student_ids, status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY])
            .select_related("student")
            .order_by("due_on", "pk")[:5]
        )
    handled = list(
        CorrectionRequest.objects.filter(
            requested_by=user, handled_at__gte=timezone.now() - RECENT, student_id__in=guardian_student_ids(user)
        )
        .select_related("student")
        .order_by("-handled_at")[:3]
    )
    if not invoices and not handled:
        return None
    return HomeBlock(template="records/_home_block.html", context={"invoices": invoices, "handled": handled}, order=20)


def school_links(staff) -> list[Link]:
    """The office's records work, on the card of the school (no queries)."""
    if not staff.administers:
        return []
    return [
        Link(_("Correction requests"), reverse("records:queue"), order=30),
        Link(_("Records settings"), reverse("records:settings", args=[staff.school.pk]), order=40),
    ]
