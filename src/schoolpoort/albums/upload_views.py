"""Staff pages that change photos: uploading many at once (one request per file from the page's
script, with progress; a normal multi-file post without it) and tagging the children a photo shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.consent import consenting_student_ids
from schoolpoort.core.models import Group, Student

from . import actions
from .forms import UploadForm
from .models import Album, Photo
from .uploads import Refusal, check_uploads
from .views import managed_album_or_404


@dataclass
class UploadResult:
    added: list[Photo] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "accepted": [{"name": p.original_name, "id": p.pk, "url": p.get_absolute_url()} for p in self.added],
            "refused": [{"name": r.name, "reason": r.reason} for r in self.refused],
        }


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def store_files(album: Album, files, user) -> UploadResult:
    """Check and store every file; a refused or failing file loses nothing of the others."""
    accepted, refused = check_uploads(files)
    result = UploadResult(refused=refused)
    for prepared in accepted:
        try:
            result.added.append(actions.add_photo(album, prepared, user))
        except (OSError, DatabaseError):
            result.refused.append(
                Refusal(prepared.name, _("“%(name)s” could not be stored. Please try again.")
                        % {"name": prepared.name})
            )
    return result


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, album_id: int):
    album = managed_album_or_404(request, album_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST":
        if not form.is_valid():
            if wants_json(request):
                reasons = [str(error) for errors in form.errors.values() for error in errors]
                return JsonResponse({"accepted": [], "refused": [{"name": "", "reason": " ".join(reasons)}]},
                                    status=400)
        else:
            result = store_files(album, form.cleaned_data["files"], request.user)
            if wants_json(request):
                return JsonResponse(result.as_json(), status=200 if result.added or not result.refused else 422)
            if result.added and not result.refused:
                messages.success(request, _added_message(len(result.added)))
                return redirect(album)
            form = UploadForm()
    return render(
        request,
        "albums/upload.html",
        {
            "album": album,
            "form": form,
            "result": result,
            "added_message": _added_message(len(result.added)) if result else "",
            "texts": {
                "waiting": _("Waiting…"),
                "uploading": _("Uploading…"),
                "added": _("Added"),
                "failed": _("Could not be uploaded. Please try again."),
                "summary": _("%(added)s of %(total)s files added."),
            },
        },
    )


def _added_message(count: int) -> str:
    return ngettext(
        "%(count)d file has been added. Photos appear in the album as soon as they are processed.",
        "%(count)d files have been added. Photos appear in the album as soon as they are processed.",
        count,
    ) % {"count": count}


def tag_groups(album: Album) -> list[Group]:
    """The current groups of the album's audience with their pupils (``group.pupils``): whom a
    photo of the album can show. Two queries."""
    groups = Group.objects.current().filter(school_id=album.school_id)
    if album.audience == Album.Audience.GROUPS:
        groups = groups.filter(albums=album)
    pupils = Student.objects.filter(archived_at__isnull=True).order_by("first_name", "last_name")
    return list(groups.order_by("grades", "name").prefetch_related(Prefetch("students", pupils, to_attr="pupils")))


@login_required
@require_http_methods(["GET", "POST"])
def tags(request, album_id: int, photo_id: int):
    album = managed_album_or_404(request, album_id)
    item = get_visible_or_404(Photo.objects.filter(album=album), request.user, pk=photo_id)
    groups = tag_groups(album)
    candidates = {pupil.pk: pupil for group in groups for pupil in group.pupils}
    current = set(item.tags.values_list("student_id", flat=True))
    if request.method == "POST":
        chosen = set()
        for value in request.POST.getlist("students"):
            if value.isdigit() and int(value) in candidates:
                chosen.add(int(value))
        # Children who are no longer in the audience's groups stay tagged: they cannot be unticked here.
        keep = current - set(candidates)
        actions.set_tags(item, [candidates[pk] for pk in chosen] + list(Student.objects.filter(pk__in=keep)),
                         request.user)
        messages.success(request, _("The children in this photo have been saved."))
        return redirect(item)
    consenting = set(consenting_student_ids().filter(student_id__in=list(candidates)).values_list("student_id",
                                                                                                   flat=True))
    return render(
        request,
        "albums/tags.html",
        {"album": album, "photo": item, "groups": groups, "tagged": current, "consenting": consenting},
    )

