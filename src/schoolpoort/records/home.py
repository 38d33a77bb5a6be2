"""Records on the home page of guardians (see web/blocks.py): open invoices and the status of their
correction requests handled in the last two weeks. Two queries, whatever the number of children."""

from __future__ import annotations

import datetime

from django.utils import timezone

from schoolpoort.core.access import guardian_student_ids, open_module_school_ids
from schoolpoort.web.blocks import HomeBlock

from .models import CorrectionRequest, Invoice

RECENT = datetime.timedelta(days=14)


def home_block(request, overview) -> HomeBlock | None:
    if not getattr(overview, "children", None):
        return None
    user = request.user
    # Guardians without parental authority may not see invoices: those children drop out here
    # rather than through the per-school settings (one query instead of one per school).
    children = guardian_student_ids(user).filter(has_parental_authority=True)
    invoices = list(
        Invoice.objects.filter(
            student_id__in=children,
            student__school_id__in=open_module_school_ids("records"),
            status__in=[Invoice.Status.OPEN, Invoice.Status.PARTLY],
        )
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
