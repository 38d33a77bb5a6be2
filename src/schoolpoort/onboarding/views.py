"""Pages of onboarding: the registration dashboard of a school and of a group, letters and
invitations in one go, changing a guardian's address, and the help page for parents.

Everything but the help page is for the administration, the director and the board admin of the
school; for everyone else it does not exist (404)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from schoolpoort.accounts.activation import invite_guardian
from schoolpoort.accounts.registration import issue_registration_code
from schoolpoort.core.access import administered_school_or_404, get_visible_or_404, managed_school_ids
from schoolpoort.core.files import send_file
from schoolpoort.core.models import AuditEntry, Group, Guardianship, School
from schoolpoort.lib import dates

from . import dashboard
from .addresses import CONFIRMATION_SENT, AddressTaken, StaffAccount, change_guardian_email
from .forms import GuardianEmailForm, LetterRequestForm, MailRequestForm
from .invitations import request_mail_batch
from .letters import request_letters
from .models import LetterBatch, MailBatch

RECENT = 10


def administered_group_or_404(user, group_id) -> Group:
    groups = Group.objects.current().select_related("school").filter(school_id__in=managed_school_ids(user))
    return get_visible_or_404(groups, user, pk=group_id)


def administered_slot_or_404(user, slot_id) -> Guardianship:
    try:
        return (
            Guardianship.objects.select_related("student__school", "user")
            .filter(student__school_id__in=managed_school_ids(user), student__archived_at__isnull=True)
            .get(pk=slot_id)
        )
    except (Guardianship.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- The school ---------------------------------------------------------------------------------


@login_required
def school(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    return _school_page(request, school)


def _school_page(request, school: School, letter_form=None, mail_form=None, status=200):
    per_group, total = dashboard.school_counts(school)
    letters = list(LetterBatch.objects.filter(school=school).select_related("group", "requested_by")[:RECENT])
    mails = list(MailBatch.objects.filter(school=school).select_related("group", "requested_by")[:RECENT])
    context = {
        "school": school,
        "per_group": per_group,
        "total": total,
        "letters": letters,
        "mails": mails,
        "busy": any(b.is_busy for b in letters + mails),
        "letter_form": letter_form or LetterRequestForm(school=school, prefix="letters"),
        "mail_form": mail_form or MailRequestForm(school=school, prefix="mail"),
        "labels": dashboard.LABELS,
    }
    return render(request, "onboarding/school.html", context, status=status)


@login_required
@require_POST
def letters(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    form = LetterRequestForm(request.POST, school=school, prefix="letters")
    if not form.is_valid():
        return _school_page(request, school, letter_form=form, status=400)
    request_letters(
        school,
        form.cleaned_data["group"],
        request.user,
        only_without_email=form.cleaned_data["who"] == "no_email",
        language=form.cleaned_data["language"],
    )
    messages.success(request, _("The letters are being made. This page shows when they are ready."))
    return redirect("onboarding:school", school.pk)


@login_required
@require_POST
def mail(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    form = MailRequestForm(request.POST, school=school, prefix="mail")
    kind = request.POST.get("kind")
    if kind not in MailBatch.Kind.values:
        raise Http404
    if not form.is_valid():
        return _school_page(request, school, mail_form=form, status=400)
    request_mail_batch(school, form.cleaned_data["group"], request.user, kind)
    if kind == MailBatch.Kind.INVITE:
        messages.success(request, _("The invitations are being sent. This page shows the counts."))
    else:
        messages.success(request, _("The reminders are being sent. This page shows the counts."))
    return redirect("onboarding:school", school.pk)


@login_required
def download(request, batch_id: int):
    batch = get_visible_or_404(LetterBatch.objects.select_related("school", "group"), request.user, pk=batch_id)
    if not batch.is_ready:
        raise Http404
    # The PDF holds working codes: who fetched it is worth knowing.
    AuditEntry.record(request.user, "onboarding.letters_downloaded", batch, school=batch.school)
    name = slugify(_("registration letters") + f" {batch.group.name if batch.group else batch.school.name}")
    return send_file(request, batch.file, filename=f"{name}.pdf")


# --- One group ----------------------------------------------------------------------------------


@login_required
def group(request, group_id: int):
    group = administered_group_or_404(request.user, group_id)
    school = group.school
    if request.method == "POST":
        _group_action(request, school, group)
        return redirect("onboarding:group", group.pk)
    by_state = dashboard.group_slots(school, group)
    sections = [(state, dashboard.LABELS[state], by_state[state]) for state in dashboard.STATES]
    needs_letter = by_state[dashboard.NO_EMAIL] + [s for s in by_state[dashboard.REFUSED] if s.user_id is None]
    return render(
        request,
        "onboarding/group.html",
        {
            "school": school,
            "group": group,
            "sections": sections,
            "counts": {state: len(rows) for state, rows in by_state.items()},
            "total": sum(len(rows) for rows in by_state.values()),
            "needs_letter": needs_letter,
            "states": {s.upper(): s for s in dashboard.STATES},
        },
    )


def _group_action(request, school: School, group: Group) -> None:
    action = request.POST.get("action")
    if action == "remind":
        request_mail_batch(school, group, request.user, MailBatch.Kind.REMIND)
        messages.success(request, _("The reminders are being sent; the counts are on the school's page."))
        return
    slot = administered_slot_or_404(request.user, request.POST.get("guardianship"))
    if not slot.student.enrollments.filter(group=group).exists():
        raise Http404
    names = {"guardian": slot.display_name, "child": slot.student.first_name}
    if action == "invite":
        if slot.user_id is not None and slot.user.has_usable_password():
            messages.error(request, _("%(guardian)s has already registered.") % names)
        elif slot.user_id is None and not slot.email:
            messages.error(request, _("There is no e-mail address for %(guardian)s.") % names)
        else:
            user = invite_guardian(slot)
            AuditEntry.record(request.user, "accounts.guardian_invited", slot, school=school, user=user.pk)
            messages.success(request, _("An activation link has been sent to %(guardian)s.") % names)
    elif action == "code":
        if slot.user_id is not None:
            messages.error(request, _("%(guardian)s already has an account; send the activation link again.") % names)
        else:
            code, plain = issue_registration_code(slot)
            AuditEntry.record(request.user, "accounts.registration_code_issued", slot, school=school, code=code.pk)
            messages.success(
                request,
                _(
                    "New registration code for %(guardian)s (%(child)s): %(code)s — valid until %(date)s. "
                    "Write it down now: it is shown only once. Older codes and letters for this guardian no "
                    "longer work."
                )
                % {**names, "code": plain, "date": dates.style(code.expires_at, "formal")},
            )
    else:
        raise Http404


@login_required
def change_email(request, slot_id: int):
    slot = administered_slot_or_404(request.user, slot_id)
    current = slot.user.email if slot.user_id else slot.email
    form = GuardianEmailForm(request.POST or None, current=current)
    group = slot.student.groups.filter(pk__in=Group.objects.current().values("pk")).first()
    back = ("onboarding:group", group.pk) if group else ("onboarding:school", slot.student.school_id)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = change_guardian_email(request.user, slot, form.cleaned_data["email"])
        except AddressTaken:
            form.add_error("email", _("Another account already logs in with this address."))
        except StaffAccount:
            form.add_error(None, _("This account also belongs to a staff member; they change it under My account."))
        else:
            names = {"guardian": slot.display_name, "email": form.cleaned_data["email"]}
            if outcome == CONFIRMATION_SENT:
                messages.success(
                    request,
                    _(
                        "A confirmation link has been sent to %(email)s. The address %(guardian)s logs in with "
                        "changes when they open it."
                    )
                    % names,
                )
            else:
                messages.success(request, _("The e-mail address of %(guardian)s has been changed.") % names)
            return redirect(*back)
    return render(
        request,
        "onboarding/change_email.html",
        {"slot": slot, "current": current, "form": form, "back_url": back},
        status=400 if form.errors else 200,
    )


# --- Help for parents ---------------------------------------------------------------------------


def help_page(request):
    """The questions schools get every year, and whom to ask at the parent's own school(s)."""
    schools = []
    if request.user.is_authenticated:
        schools = list(School.objects.visible_to(request.user).order_by("name"))
    return render(
        request, "onboarding/help.html", {"schools": schools, "activation_days": settings.ACTIVATION_LINK_DAYS}
    )
