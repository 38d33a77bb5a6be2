"""Records on the home page of guardians (see lib/home.py): open invoices and the status of their
correction requests handled in the last two weeks.

Invoices are the ones the guardian sees as a guardian on the invoices page (``rules.guardian_rows_q``
with the rows rule of ``Invoice``): the records module open, the invoices part switched on, not in a
closed period that closes invoices, and for a guardian without parental authority only where the
school opens invoices to them. Two queries, whatever the number of children or schools: the
invoices, the handled requests."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import guardian_student_ids
from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.home import HomeBlock, Link

from . import rules
from .models import CorrectionRequest, Invoice, Part

RECENT = datetime.timedelta(days=14)


def home_block(request, overview) -> HomeBlock | None:
    if not getattr(overview, "children", None):
        return None
    user = request.user

    def read():
        now = timezone.now()
        # As a guardian: a teacher who is a parent too sees their own children's invoices here.
        invoices = list(
            Invoice.objects.filter(rules.guardian_rows_q(user, Part.INVOICES, guardian_q=rules.guardian_invoices_q()))
            .filter(status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY])
            .select_related("student")
            .order_by("due_on", "pk")[:5]
        )
        handled = list(
            CorrectionRequest.objects.filter(
                requested_by=user, handled_at__gte=now - RECENT, student_id__in=guardian_student_ids(user)
            )
            .select_related("student")
            .order_by("-handled_at")[:3]
        )
        # A handled request leaves the block RECENT after it was handled: no write says so.
        until = min((request.handled_at + RECENT for request in handled), default=None)
        if not invoices and not handled:
            return None, until
        context = {"invoices": invoices, "handled": handled}
        return HomeBlock("records/_home_block.html", context, order=20, section="action"), until

    # Kept under the reach's versions and those of the records (records/signals.py).
    return cached_block(request, "records", read, topics=("records",))


def school_links(staff) -> list[Link]:
    """The office's records work, on the card of the school (no queries)."""
    if not staff.administers:
        return []
    return [
        Link(_("Correction requests"), reverse("records:queue"), order=30),
        Link(_("Records settings"), reverse("records:settings", args=[staff.school.pk]), order=40),
    ]
