"""The staff directory: per school, for anyone who can see that school (no module switch: it is
school information), showing of each staff member only what they agreed to; their photos through
``send_file`` after the same check; and a staff member's own profile."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.files import send_file
from schoolpoort.core.models import Group, School

from .directory import directory, photo_url
from .forms import ProfileForm
from .models import StaffProfile


def _works_at(user, school) -> bool:
    return school.staff_memberships.filter(user=user).exists()


@login_required
def index(request):
    """The directory of the user's school; a choice of schools when they can see several."""
    schools = list(School.objects.visible_to(request.user).order_by("name"))
    if len(schools) == 1:
        return _directory_page(request, schools[0], single=True)
    return render(request, "staff/index.html", {"schools": schools})


@login_required
def school_directory(request, school_id: int):
    school = get_visible_or_404(School, request.user, pk=school_id)
    return _directory_page(request, school)


def _directory_page(request, school, single: bool = False):
    return render(request, "staff/directory.html", {
        "school": school,
        "people": directory(school),
        "works_here": _works_at(request.user, school),
        "single": single,
    })


@login_required
def photo(request, profile_id: int):
    """A staff member's photo, for whoever can see their school, if they agreed to show it (and
    always to themselves)."""
    user = request.user
    queryset = StaffProfile.objects.exclude(photo="").filter(Q(show_photo=True) | Q(user=user))
    profile = get_visible_or_404(queryset, user, pk=profile_id)
    return send_file(request, profile.photo, filename="foto.jpg", inline=True, content_type="image/jpeg")


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, school_id: int):
    """A staff member's own profile at one of their schools."""
    user = request.user
    school = get_visible_or_404(School.objects.filter(staff_memberships__user=user).distinct(), user, pk=school_id)
    profile = StaffProfile.objects.filter(user=user, school=school).first() or StaffProfile(user=user, school=school)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("staff:directory", school.pk)
    groups = list(Group.objects.current().filter(school=school, teachers=user).order_by("grades", "name"))
    return render(request, "staff/edit.html", {
        "school": school,
        "form": form,
        "profile": profile,
        "photo_url": photo_url(profile) if profile.pk and profile.photo else None,
        "groups": groups,
    })
