"""Staff page "Guardians and registration": for administration, director and board admin."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from schoolpoort.core.access import administered_school_or_404
from schoolpoort.core.models import AuditEntry, Group, Guardianship, School
from schoolpoort.lib import dates

from .activation import invite_guardian
from .guardians import (
    EMAIL_KNOWN,
    INVITED,
    NO_EMAIL,
    REGISTERED,
    STATUS_LABELS,
    current_groups,
    guardian_slots,
    slot_status,
)
from .registration import issue_registration_code

PER_PAGE = 50


@dataclass
class Row:
    slot: Guardianship
    group: Group | None
    status: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def can_invite(self) -> bool:
        return self.status in (INVITED, EMAIL_KNOWN)

    @property
    def can_make_code(self) -> bool:
        return self.slot.user_id is None

    @property
    def open_code(self):
        return self.slot.open_codes[0] if self.slot.open_codes else None


@login_required
def guardians(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    if request.method == "POST":
        return _guardian_action(request, school)

    groups = list(current_groups(school))
    groups_by_id = {g.pk: g for g in groups}
    group = None
    if request.GET.get("groep"):
        try:
            group = groups_by_id[int(request.GET["groep"])]
        except (KeyError, ValueError):
            raise Http404 from None
    page = Paginator(guardian_slots(school, group), PER_PAGE).get_page(request.GET.get("pagina"))
    rows = [Row(slot, groups_by_id.get(slot.current_group_id), slot_status(slot)) for slot in page]
    return render(
        request,
        "accounts/guardians.html",
        {
            "school": school,
            "groups": groups,
            "group": group,
            "page": page,
            "rows": rows,
            "statuses": {
                "registered": REGISTERED,
                "invited": INVITED,
                "email_known": EMAIL_KNOWN,
                "no_email": NO_EMAIL,
            },
        },
    )


def _guardian_action(request, school: School):
    try:
        slot = (
            Guardianship.objects.select_related("student__school", "user")
            .filter(student__school=school, student__archived_at__isnull=True)
            .get(pk=int(request.POST.get("guardianship", "")))
        )
    except (Guardianship.DoesNotExist, ValueError):
        raise Http404 from None
    action = request.POST.get("action")
    names = {"guardian": slot.display_name, "child": slot.student.full_name}
    if action == "invite":
        if slot_status(slot) not in (INVITED, EMAIL_KNOWN):
            messages.error(
                request, _("There is no one to send an activation link to for %(guardian)s.") % names
            )
        else:
            user = invite_guardian(slot)
            AuditEntry.record(request.user, "accounts.guardian_invited", slot, school=school, user=user.pk)
            if user.has_usable_password():
                messages.success(
                    request,
                    _(
                        "%(guardian)s already had an account; %(child)s has been added to it "
                        "and they have been told."
                    )
                    % names,
                )
            else:
                messages.success(request, _("An activation link has been sent to %(guardian)s.") % names)
    elif action == "code":
        if slot.user_id is not None:
            messages.error(request, _("%(guardian)s has already registered.") % names)
        else:
            code, plain = issue_registration_code(slot)
            AuditEntry.record(
                request.user, "accounts.registration_code_issued", slot, school=school, code=code.pk
            )
            messages.success(
                request,
                _(
                    "New registration code for %(guardian)s (%(child)s): %(code)s — valid until %(date)s. "
                    "Write it down now: it is shown only once. Older codes for this guardian no longer work."
                )
                % {
                    **names,
                    "code": plain,
                    "date": dates.style(code.expires_at, "formal"),
                },
            )
    else:
        raise Http404
    return redirect(request.get_full_path())
