"""The album pages: the list, an album's thumbnail grid, the photo viewer, and for staff making,
editing, publishing and deleting albums. Every album and photo is fetched through
``visible_to`` (what the user may not see is a 404), within the schools where the module is
usable for the user. Uploading and tagging are in ``upload_views.py``, the files in ``file_views.py``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from schoolpoort.core.access import get_visible_or_404, roles_of
from schoolpoort.core.models import Guardianship
from schoolpoort.notify.api import mark_read

from . import actions, listing
from .access import is_flagged
from .forms import AlbumForm
from .listing import scope_or_404, visible_albums, visible_photos
from .models import Album, Photo, PhotoTag
from .scope import AlbumScope, authoring_options, can_manage

ALBUMS_PER_PAGE = 24
PHOTOS_PER_PAGE = 60


def album_or_404(request, album_id: int, scope: AlbumScope | None = None) -> Album:
    return listing.album_or_404(request.user, album_id, scope)


def managed_album_or_404(request, album_id: int) -> Album:
    album = album_or_404(request, album_id)
    if not can_manage(request.user, album):
        raise Http404
    return album


@login_required
def album_list(request):
    user = request.user
    scope = scope_or_404(user)
    albums = visible_albums(user, scope)
    page = Paginator(albums, ALBUMS_PER_PAGE).get_page(request.GET.get("pagina"))
    roles = roles_of(user)
    return render(
        request,
        "albums/list.html",
        {
            "page": page,
            "can_create": authoring_options(user, scope).can_create if roles.is_staff else False,
            "is_staff": roles.is_staff,
            "is_guardian": roles.is_guardian,
        },
    )


@login_required
def detail(request, album_id: int):
    user = request.user
    album = album_or_404(request, album_id)
    mark_read(user, album.notification_key)  # "new photo album" is read once the album is opened
    as_staff = roles_of(user).is_staff_at(album.school)
    photos = visible_photos(user, album)
    if as_staff:
        photos = photos.annotate(flagged=is_flagged(), tag_count=Count("tags", distinct=True))
    page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("pagina"))
    context = {"album": album, "page": page, "as_staff": as_staff, "can_manage": False}
    if as_staff:
        context["can_manage"] = can_manage(user, album)
        context["flagged_count"] = Photo.objects.filter(album=album).filter(is_flagged()).count()
    return render(request, "albums/detail.html", context)


@login_required
def photo(request, album_id: int, photo_id: int):
    user = request.user
    album = album_or_404(request, album_id)
    item = get_visible_or_404(Photo.objects.filter(album=album), user, pk=photo_id)
    rows = list(visible_photos(user, album).values_list("pk", "kind", "status"))
    ids = [pk for pk, _kind, _status in rows]
    index = ids.index(item.pk)
    following = rows[index + 1] if index + 1 < len(rows) else None
    next_web_url = None
    if following and following[1] == Photo.Kind.IMAGE and following[2] == Photo.Status.READY:
        next_web_url = reverse("albums:web", args=[album.pk, following[0]])
    as_staff = roles_of(user).is_staff_at(album.school)
    tags = PhotoTag.objects.filter(photo=item).select_related("student").order_by("student__first_name")
    if not as_staff:  # other parents never learn who else is in a photo
        own = Guardianship.objects.filter(user=user).values("student_id")
        tags = tags.filter(student_id__in=own)
    flagged = as_staff and Photo.objects.filter(pk=item.pk).filter(is_flagged()).exists()
    return render(
        request,
        "albums/photo.html",
        {
            "album": album,
            "photo": item,
            "position": index + 1,
            "total": len(ids),
            "previous_id": ids[index - 1] if index > 0 else None,
            "next_id": following[0] if following else None,
            "next_web_url": next_web_url,
            "page_number": index // PHOTOS_PER_PAGE + 1,
            "tags": list(tags),
            "as_staff": as_staff,
            "flagged": flagged,
            "can_manage": as_staff and can_manage(user, album),
        },
    )


def _form_page(request, form, album=None):
    return render(request, "albums/form.html", {"form": form, "album": album})


@login_required
@require_http_methods(["GET", "POST"])
def create(request):
    scope = scope_or_404(request.user)
    options = authoring_options(request.user, scope)
    if not options.can_create:
        raise Http404
    form = AlbumForm(request.POST or None, options=options)
    if request.method == "POST" and form.is_valid():
        album, group_ids = form.apply(creator=request.user)
        actions.save_album(album, groups=group_ids)
        messages.success(request, _("The album has been made. Add photos, then publish it."))
        return redirect("albums:upload", album.pk)
    return _form_page(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, album_id: int):
    album = managed_album_or_404(request, album_id)
    form = AlbumForm(request.POST or None, instance=album, options=authoring_options(request.user))
    if request.method == "POST" and form.is_valid():
        album, group_ids = form.apply()
        actions.save_album(album, groups=group_ids)
        messages.success(request, _("The album has been saved."))
        return redirect(album)
    return _form_page(request, form, album)


@login_required
@require_POST
def publish(request, album_id: int):
    album = managed_album_or_404(request, album_id)
    if actions.publish_album(album, request.user):
        messages.success(request, _("The album has been published: the parents can see it now."))
    return redirect(album)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request, album_id: int):
    album = managed_album_or_404(request, album_id)
    if request.method == "POST":
        actions.delete_album(album, request.user)
        messages.success(request, _("The album has been deleted."))
        return redirect("albums:list")
    return render(request, "albums/confirm_delete.html", {"album": album, "count": album.photos.count()})


@login_required
def delete_photo(request, album_id: int, photo_id: int):
    """GET: the confirmation (lib/confirm.html); POST: delete."""
    album = managed_album_or_404(request, album_id)
    item = get_visible_or_404(Photo.objects.filter(album=album), request.user, pk=photo_id)
    if request.method != "POST":
        return render(request, "albums/confirm_delete_photo.html", {"album": album, "photo": item})
    actions.delete_photo(item, request.user)
    messages.success(request, _("The photo has been deleted."))
    return redirect(album)

