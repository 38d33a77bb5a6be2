"""The staff page to say who is in an image of any module: tick the pupils of the audience, or
state that no child is recognisable. The module's view authorises (the image, and that the user
may tag it) and says whose pupils to offer; this page does the rest, the same everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Model, Prefetch, QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .consent import consenting_student_ids, image_tags, set_image_tags
from .models import Group, Student


def audience_groups(user, groups: QuerySet) -> list[Group]:
    """The current ``groups`` with their pupils the user may see (``group.pupils``). Two queries."""
    pupils = Student.objects.visible_to(user).filter(archived_at__isnull=True).order_by("first_name", "last_name")
    return list(
        groups.current().order_by("grades", "name").prefetch_related(Prefetch("students", pupils, to_attr="pupils"))
    )


def tag_page(request, image: Model, *, groups: list[Group], back_url: str, image_url: str, title: str,
             save=set_image_tags):
    """GET: the form; POST: save (``save(image, student_ids, none_recognisable, user)``, by
    default on this image alone) and go back to where the image is shown."""
    candidates = {pupil.pk for group in groups for pupil in group.pupils}
    tagged, none_recognisable = image_tags(image)
    error = ""
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("students") if v.isdigit() and int(v) in candidates}
        none_chosen = request.POST.get("none") == "1"
        # Children tagged before who are no longer in the audience cannot be unticked here: they stay.
        chosen |= tagged - candidates
        if chosen and none_chosen:
            error = _("Either tick the children in the photo, or that no child is recognisable; not both.")
        elif not chosen and not none_chosen:
            error = _("Tick the children in the photo, or that no child is recognisable.")
        else:
            save(image, chosen, none_chosen, request.user)
            messages.success(request, _("Saved: who is in this photo."))
            return redirect(back_url)
        tagged, none_recognisable = chosen, none_chosen
    consenting = set(
        consenting_student_ids().filter(student_id__in=list(candidates)).values_list("student_id", flat=True)
    )
    return render(
        request,
        "core/image_tags.html",
        {
            "groups": groups,
            "tagged": tagged,
            "none_recognisable": none_recognisable,
            "consenting": consenting,
            "back_url": back_url,
            "image_url": image_url,
            "title": title,
            "error": error,
        },
    )
