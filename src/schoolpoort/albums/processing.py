"""The served versions of a photo or video, made in a background task (``tasks.process_photo``).

An image, from the private original: read when it was taken (EXIF DateTimeOriginal) before
anything is stripped, check its size from the header before decoding, turn it upright (EXIF
orientation), convert it to sRGB, and save two JPEGs from the pixels alone: a web version (at
most 1600 px) and a thumbnail (at most 400 px). Nothing of the original's metadata is passed on:
no EXIF, no GPS position, no XMP, no ICC profile, no comments.

A video: remuxed without any metadata (``video.py``: stream copy, not transcoded) into the
served version, plus a poster frame that goes through the same JPEG pipeline as a photo's
thumbnail. Until then it stays "processing", so parents never get the original."""

from __future__ import annotations

import datetime
import io
import logging
import os
import tempfile
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from schoolpoort.core.versions import content_changed
from schoolpoort.lib import images

from . import video
from .models import THUMB_SIZE, WEB_SIZE, Photo

logger = logging.getLogger(__name__)

EXIF_IFD = 0x8769
DATETIME_ORIGINAL = 0x9003
DATETIME = 0x0132
JPEG_OPTIONS = {"quality": 85, "optimize": True, "progressive": True}


def taken_at(image: Image.Image) -> datetime.datetime | None:
    """When the photo was taken, from its EXIF, as an aware datetime (local time assumed)."""
    try:
        exif = image.getexif()
        value = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    except Exception:  # noqa: BLE001 - broken EXIF is common and never fatal
        return None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.datetime.strptime(value.strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(moment) if 1990 <= moment.year <= 2100 else None


def _clean_jpeg(image: Image.Image, size: int) -> tuple[bytes, int, int]:
    version = image.copy()
    version.thumbnail((size, size), Image.Resampling.LANCZOS)
    version.info = {}  # nothing of the original goes along: no EXIF, GPS, XMP, ICC or comment
    buffer = io.BytesIO()
    version.save(buffer, "JPEG", **JPEG_OPTIONS)
    return buffer.getvalue(), version.width, version.height


def render_versions(fp, name: str = "foto") -> dict:
    """The web version and thumbnail of the image in ``fp``: {"web", "thumb", "width", "height",
    "taken_at"}. Raises ValidationError (too many pixels, not an image) or OSError (broken file)."""
    source = images.open_image(fp, name)  # the header only: the size is checked before decoding
    try:
        when = taken_at(source)
        pixels = images.shrunk(source, WEB_SIZE)  # a big JPEG is decoded at a reduced scale
    finally:
        source.close()
    web, width, height = _clean_jpeg(pixels, WEB_SIZE)
    thumb, _w, _h = _clean_jpeg(pixels, THUMB_SIZE)
    return {"web": web, "thumb": thumb, "width": width, "height": height, "taken_at": when}


def make_versions(photo: Photo) -> Photo:
    """Render and store the served versions of an image and mark it ready (or failed, with the
    reason for staff). When the photo was deleted meanwhile, the new files go too."""
    try:
        with photo.original.open("rb") as fp:
            result = render_versions(fp, photo.original_name)
    except ValidationError as error:
        return _update(photo, status=Photo.Status.FAILED, error=" ".join(error.messages)[:300])
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        logger.info("albums: photo %s could not be processed: %s", photo.pk, error)
        return _update(photo, status=Photo.Status.FAILED, error="")
    old = [(f.storage, f.name) for f in (photo.web, photo.thumb) if f]
    photo.web.save("web.jpg", ContentFile(result["web"]), save=False)
    photo.thumb.save("thumb.jpg", ContentFile(result["thumb"]), save=False)
    _update(
        photo,
        web=photo.web.name,
        thumb=photo.thumb.name,
        width=result["width"],
        height=result["height"],
        taken_at=result["taken_at"],
        status=Photo.Status.READY,
        error="",
    )
    if photo.status != Photo.Status.READY:  # gone meanwhile
        old += [(photo.web.storage, photo.web.name), (photo.thumb.storage, photo.thumb.name)]
    for storage, name in old:
        storage.delete(name)
    return photo


def _local_path(field_file) -> str | None:
    """The original's path when the storage is the local disk (FFmpeg reads it directly, faster
    than through Python), else None."""
    try:
        return field_file.path
    except NotImplementedError:  # S3 and other remote storages
        return None


def make_video_version(photo: Photo) -> Photo:
    """Remux a video without its metadata, make its poster thumbnail, store both and mark it ready
    (or failed, with a reason code that ``Photo.error_text`` shows in the reader's language)."""
    with tempfile.TemporaryDirectory(dir=getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)) as folder:
        suffix = {"mov": ".mov", "webm": ".webm"}.get(video.MUXERS.get(photo.content_type, ""), ".mp4")
        target = os.path.join(folder, f"video{suffix}")
        try:
            path = _local_path(photo.original)
            if path:
                remuxed = video.remux(path, target, photo.content_type)
            else:
                with photo.original.open("rb") as source:
                    remuxed = video.remux(source, target, photo.content_type)
        except video.VideoError as error:
            logger.info("albums: video %s could not be processed: %s", photo.pk, error)
            return _update(photo, status=Photo.Status.FAILED, error=error.code)
        except FileNotFoundError:
            logger.info("albums: the original of video %s is gone", photo.pk)
            return _update(photo, status=Photo.Status.FAILED, error="video_unreadable")
        frame = video.poster(target)
        width, height = video.shown_size(remuxed, frame)
        old = [(f.storage, f.name) for f in (photo.web, photo.thumb) if f]
        with open(target, "rb") as handle:
            photo.web.save(f"video{PurePath(target).suffix}", File(handle), save=False)
    thumb_name = ""
    if frame is not None:
        thumb, _w, _h = _clean_jpeg(images.to_srgb(frame), THUMB_SIZE)
        photo.thumb.save("thumb.jpg", ContentFile(thumb), save=False)
        thumb_name = photo.thumb.name
    else:
        photo.thumb = ""
    _update(
        photo,
        web=photo.web.name,
        thumb=thumb_name,
        width=width,
        height=height,
        taken_at=remuxed.taken_at,
        status=Photo.Status.READY,
        error="",
    )
    if photo.status != Photo.Status.READY:  # gone meanwhile
        old += [(f.storage, f.name) for f in (photo.web, photo.thumb) if f]
    for storage, name in old:
        storage.delete(name)
    return photo


def _update(photo: Photo, **fields) -> Photo:
    """Write ``fields`` to the photo's row (if it still exists) and to ``photo``."""
    if Photo.objects.filter(pk=photo.pk).update(**fields):
        content_changed("albums")  # update() passes the signals (albums/signals.py)
        for field, value in fields.items():
            setattr(photo, field, value)
    else:
        photo.status = "gone"
    return photo


def process_photo(photo_id: int) -> str:
    """The task's work: make the versions of a photo or video that is still waiting for them."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is None:
        return "gone"
    if photo.status != Photo.Status.PROCESSING:
        return photo.status
    if photo.is_video:
        return make_video_version(photo).status
    return make_versions(photo).status
