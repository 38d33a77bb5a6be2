"""Staff pages: add, change and cancel events for the audiences one may post to, and load the
school vacations of the government into a school's calendar."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from schoolpoort.core.access import administered_school_or_404, get_visible_or_404
from schoolpoort.core.models import School

from . import vacations
from .actions import cancel_event, create_event, update_event
from .forms import EventForm, audience_options
from .models import Event
from .visibility import usable_school_ids


@login_required
def create(request):
    options = audience_options(request.user)
    if options.is_empty:
        raise Http404
    form = EventForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        event = create_event(request.user, **form.event_fields())
        messages.success(request, _("The event has been added to the calendar."))
        return redirect("calendar:detail", event.pk)
    return render(request, "calendar/form.html", {"form": form, "event": None})


def _manageable_event_or_404(user, pk: int) -> Event:
    return get_visible_or_404(
        Event.objects.manageable_by(user).select_related("school", "board").prefetch_related("groups"), user, pk=pk
    )


@login_required
def edit(request, pk: int):
    event = _manageable_event_or_404(request.user, pk)
    form = EventForm(request.POST or None, options=audience_options(request.user), event=event)
    if request.method == "POST" and form.is_valid():
        if update_event(event, request.user, **form.event_fields()):
            messages.success(request, _("The event has been changed; agendas that subscribed get the change."))
        return redirect("calendar:detail", event.pk)
    return render(request, "calendar/form.html", {"form": form, "event": event})


@login_required
def cancel(request, pk: int):
    """GET: what cancelling means for parents (lib/confirm.html); POST: cancel."""
    event = _manageable_event_or_404(request.user, pk)
    if request.method != "POST":
        return render(request, "calendar/confirm_cancel.html", {"event": event})
    if cancel_event(event, request.user):
        messages.success(request, _("The event has been cancelled. It stays in the calendar, marked as cancelled."))
    return redirect("calendar:detail", event.pk)


@login_required
@require_POST
def load_vacations(request, school_id: int):
    school = administered_school_or_404(request.user, school_id)
    usable = School.objects.visible_to(request.user).filter(pk__in=usable_school_ids(request.user))
    if not usable.filter(pk=school.pk).exists():
        raise Http404
    year = request.POST.get("school_year") or vacations.current_school_year()
    if year not in vacations.school_years():
        messages.error(request, _("There are no vacation dates for school year %(year)s yet.") % {"year": year})
        return redirect("calendar:list")
    added = vacations.load_vacations(school, year, actor=request.user)
    if added:
        text = ngettext(
            "%(count)d vacation of %(year)s (region %(region)s) was added for %(school)s.",
            "%(count)d vacations of %(year)s (region %(region)s) were added for %(school)s.",
            len(added),
        )
        messages.success(request, text % {"count": len(added), "year": year, "region": school.get_region_display(),
                                          "school": school.name})
    else:
        messages.success(request, _("The vacations of %(year)s were already in the calendar of %(school)s.")
                         % {"year": year, "school": school.name})
    return redirect("calendar:list")
