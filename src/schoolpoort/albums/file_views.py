"""The files of an album. No file has a public URL: each view fetches the photo through
``Photo.objects.visible_to`` (one query: the audience, the module and the image consent rule)
and answers 404 otherwise, also for an id of another album; then ``core.files.send_file``
delivers it.

- thumbnail: a re-encoded JPEG without metadata (processing.py), inline; of a video, its poster frame;
- web version: of an image, a re-encoded JPEG without metadata, inline;
- video (URL name "original", for history): the video remuxed without any metadata (video.py),
  inline with byte ranges. The uploaded original itself is never served, of an image nor of a
  video: it may carry EXIF and GPS data, a video's location, device and recording date;
- download: the web version of an image, the remuxed video, as an attachment;
- zip: every photo of the album the user may see, streamed (downloads.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404

from schoolpoort.core.access import get_visible_or_404
from schoolpoort.core.files import send_file

from .downloads import album_zip_response
from .listing import visible_photos
from .models import Album, Photo


def _photo_or_404(request, album_id: int, photo_id: int) -> Photo:
    return get_visible_or_404(Photo.objects.all(), request.user, pk=photo_id, album_id=album_id)


@login_required
def thumb(request, album_id: int, photo_id: int):
    photo = _photo_or_404(request, album_id, photo_id)
    if not photo.thumb:
        raise Http404
    return send_file(request, photo.thumb, filename=f"thumb-{photo.pk}.jpg", inline=True,
                     content_type="image/jpeg")


@login_required
def web(request, album_id: int, photo_id: int):
    photo = _photo_or_404(request, album_id, photo_id)
    if photo.is_video or not photo.web:
        raise Http404
    return send_file(request, photo.web, filename=photo.download_name, inline=True, content_type="image/jpeg")


@login_required
def original(request, album_id: int, photo_id: int):
    """A video without its metadata (not the upload: see the module's docstring), inline, with byte
    ranges (phones need them to play it). Not before it is remuxed: 404 while processing."""
    photo = _photo_or_404(request, album_id, photo_id)
    if not photo.is_video or not photo.web:
        raise Http404
    return send_file(request, photo.web, filename=photo.download_name, inline=True,
                     content_type=photo.content_type)


@login_required
def download(request, album_id: int, photo_id: int):
    photo = _photo_or_404(request, album_id, photo_id)
    served = photo.served_file()
    if not served:
        raise Http404
    content_type = photo.content_type if photo.is_video else "image/jpeg"
    return send_file(request, served, filename=photo.download_name, content_type=content_type)


@login_required
def album_zip(request, album_id: int):
    album = get_visible_or_404(Album.objects.all(), request.user, pk=album_id)
    photos = [photo for photo in visible_photos(request.user, album) if photo.served_file()]
    if not photos:
        raise Http404
    return album_zip_response(album, photos)
