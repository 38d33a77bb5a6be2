"""The class list pages: the list of a group (full for staff, what families shared for parents),
its print view for staff, the privacy page where a family chooses what it shares, and the school's
settings. Groups are fetched through ``class_groups_visible_to`` and ``get_visible_or_404``: a group
the user may not see is a 404, as is a school where the module is not usable for them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from schoolpoort.core.access import get_visible_or_404, managed_school_or_404, modules_for_schools, require_module
from schoolpoort.core.audit import audits_reads, read_part
from schoolpoort.core.models import Group, School

from .access import MODULE, class_groups_visible_to, sees_full_list
from .forms import AddressForm, SettingsForm, SharingForm
from .lists import SHARE_FIELDS, class_list
from .models import ClassListSettings
from .sharing import own_details, save_sharing, sharing_groups

# Staff reading the full list (every guardian's contact details) is audited per pupil.
FULL_LIST = read_part("class_list", gettext_lazy("Class list with contact details"))


def _usable_school_ids(user) -> set[int]:
    schools = School.objects.visible_to(user)
    return {
        state.school.pk
        for state in modules_for_schools(user, schools)
        if any(module.info.code == MODULE for module in state.usable)
    }


def _group_or_404(user, group_id: int) -> Group:
    queryset = class_groups_visible_to(user).select_related("school").prefetch_related("teachers")
    group = get_visible_or_404(queryset, user, pk=group_id)
    require_module(user, group.school, MODULE)
    return group


@login_required
def index(request):
    user = request.user
    school_ids = _usable_school_ids(user)
    if not school_ids:
        raise Http404
    groups = list(
        class_groups_visible_to(user).filter(school_id__in=school_ids).select_related("school")
        .order_by("school__name", "grades", "name")
    )
    return render(request, "classlist/index.html", {
        "groups": groups,
        "many_schools": len({group.school_id for group in groups}) > 1,
        "shares": bool(sharing_groups(user)),
    })


@login_required
@audits_reads
def group_list(request, group_id: int):
    group = _group_or_404(request.user, group_id)
    full = sees_full_list(request.user, group)
    rows = class_list(group, request.user, full=full)
    if full:
        request.reads.add([row.student for row in rows], FULL_LIST, school=group.school_id)
    return render(request, "classlist/group.html", {
        "group": group,
        "full": full,
        "rows": rows,
        "teachers": list(group.teachers.all()),
    })


@login_required
@audits_reads
def print_list(request, group_id: int):
    """The full list on paper, for the teachers and the office."""
    group = _group_or_404(request.user, group_id)
    if not sees_full_list(request.user, group):
        raise Http404
    rows = class_list(group, request.user, full=True)
    request.reads.add([row.student for row in rows], FULL_LIST, school=group.school_id)
    return render(request, "classlist/print.html", {
        "group": group,
        "rows": rows,
        "teachers": list(group.teachers.all()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def privacy(request):
    """What this account shares with the parents of each of its children's groups."""
    user = request.user
    groups = sharing_groups(user)
    if not groups:
        raise Http404
    details = own_details(user)
    data = request.POST if request.method == "POST" else None
    sections = []
    for item in groups:
        choice = item.choice
        initial = {name: getattr(choice, f"share_{name}") for name in SHARE_FIELDS} if choice else {}
        sections.append((item, SharingForm(data, group=item.group, initial=initial)))
    address_form = AddressForm(data, instance=details.contact)
    if request.method == "POST":
        forms_valid = all(form.is_valid() for _item, form in sections) and address_form.is_valid()
        if forms_valid:
            address = address_form.cleaned_data["address"]
            if not address.strip() and any(form.cleaned_data["address"] for _item, form in sections):
                address_form.add_error("address", _("Fill in your address to share it, or switch sharing it off."))
            else:
                save_sharing(user, {item.group.pk: form.cleaned_data for item, form in sections}, address)
                messages.success(request, _("Your choices have been saved."))
                return redirect("classlist:privacy")
    return render(request, "classlist/privacy.html", {
        "sections": sections,
        "address_form": address_form,
        "details": details,
    })


@login_required
@require_http_methods(["GET", "POST"])
def school_settings(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    require_module(request.user, school, MODULE)
    instance = ClassListSettings.for_school(school.pk)
    form = SettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The settings have been saved."))
        return redirect("classlist:settings", school.pk)
    return render(request, "classlist/settings.html", {"school": school, "form": form})
