"""Mijn gegevens downloaden: ask for the family's data, follow it being made, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from schoolpoort.core.models import AuditEntry

from . import data_export
from .models import DataExport

SHOWN = 5  # recent requests on the page


def _own_or_404(user, token) -> DataExport:
    """The user's own export; another user's, or none, answers 404 alike."""
    return get_object_or_404(DataExport.objects.visible_to(user), token=token)


@login_required
@never_cache
def data_export_page(request):
    if request.method == "POST":
        try:
            data_export.request_export(request.user)
        except data_export.ExportRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request, _("We are making your download. This takes a few minutes; you get an e-mail when it is ready.")
            )
        return redirect("accounts:data_export")
    data_export.sweep()
    exports = list(DataExport.objects.visible_to(request.user)[:SHOWN])
    return render(request, "accounts/data_export.html", {
        "exports": exports,
        "running": any(export.is_running for export in exports),
        "lifetime_hours": int(data_export.LIFETIME.total_seconds() // 3600),
    })


@login_required
@never_cache
@require_GET
def data_export_download(request, token):
    export = _own_or_404(request.user, token)
    if not export.is_downloadable():
        if export.is_running:
            raise Http404
        # The owner learns why: expired (or failed); nobody else learns it exists.
        return render(request, "accounts/data_export_gone.html", {"export": export}, status=410)
    content = data_export.read_zip(export)
    AuditEntry.record(request.user, data_export.DOWNLOADED, obj=export, size=len(content))
    export.downloaded_at = timezone.now()
    export.save(update_fields=["downloaded_at"])
    response = HttpResponse(content, content_type="application/zip")
    stamp = timezone.localtime(export.ready_at).strftime("%Y-%m-%d")
    response["Content-Disposition"] = content_disposition_header(True, f"schoolpoort-gegevens-{stamp}.zip")
    response["Content-Length"] = str(len(content))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
