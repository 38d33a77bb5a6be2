"""The CSV imports of the records domain (records, results) on core staging, one flow for both:
upload → preview (what would change, every bad row with its line) → confirm → apply. The file is
parked encrypted between the steps (it may hold medical details); the form carries its token."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from schoolpoort.core import staging


@dataclass(frozen=True)
class Importer:
    prefix: str  # staged uploads are "<prefix><kind>"
    url_name: str  # the import page, taking the school's id
    make_plan: Callable  # (school, kind, data, user) -> plan with .errors, .is_empty, .added, .changed
    digest: Callable  # (plan) -> str
    write: Callable  # (school, plan, user) -> None


def preview(importer: Importer, request, school, form) -> tuple[object, str] | None:
    """The plan of a valid upload and the token to confirm it ("" when there is nothing to confirm);
    None when the form is not (validly) posted."""
    if not (request.method == "POST" and form.is_valid()):
        return None
    upload, kind = form.cleaned_data["file"], form.cleaned_data["kind"]
    data = upload.read()
    plan = importer.make_plan(school, kind, data, request.user)
    token = ""
    if not plan.errors and not plan.is_empty:
        parked = staging.park(kind=importer.prefix + kind, data=data, filename=upload.name, school=school,
                              owner=request.user)
        token = staging.token_for(parked, importer.digest(plan))
    return plan, token


def confirm(importer: Importer, request, school, show_again: Callable):
    """Apply the confirmed preview once. When the data changed since the preview nothing is
    written and ``show_again(kind, plan, token)`` renders the new preview."""
    user = request.user
    try:
        parked, digest = staging.from_token(user, request.POST["token"], school=school, kind_prefix=importer.prefix)
        kind = parked.kind.removeprefix(importer.prefix)
        done = staging.confirm(
            parked,
            digest=digest,
            make_plan=lambda data: importer.make_plan(school, kind, data, user),
            digest_of=importer.digest,
            write=lambda plan: importer.write(school, plan, user),
        )
    except staging.Expired:
        messages.error(request, _("This preview has expired. Please choose the file again."))
        return redirect(importer.url_name, school.pk)
    if done.outcome == "already":
        messages.info(request, _("This file has already been imported."))
        return redirect(importer.url_name, school.pk)
    plan = done.plan
    if not done.applied:
        token = "" if plan.errors or plan.is_empty else staging.token_for(parked, importer.digest(plan))
        messages.warning(request, _("The data changed since this preview. Check the new preview and confirm again."))
        return show_again(kind, plan, token)
    messages.success(
        request,
        _("Imported: %(added)s added, %(changed)s changed, %(unchanged)s unchanged.")
        % {"added": len(plan.added), "changed": len(plan.changed), "unchanged": plan.unchanged},
    )
    return redirect(importer.url_name, school.pk)
