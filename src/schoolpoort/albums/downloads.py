"""A whole album as one ZIP, streamed: stream-zip writes the archive while the files are read
from the storage (local disk or S3) chunk by chunk. No temporary file, never a whole file in
memory. The list of photos is decided before the first byte (through ``visible_to``); the stream
itself needs no database."""

from __future__ import annotations

import re
import stat
from pathlib import PurePath

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from stream_zip import ZIP_AUTO, stream_zip

from schoolpoort.core.files import SANDBOX

from .models import Album, Photo

CHUNK = 64 * 1024
MODE = stat.S_IFREG | 0o644
UNSAFE = re.compile(r"[\x00-\x1f\\/:*?\"<>|]+")


def _read(field_file):
    """The file's bytes in chunks, opened only when the archive gets to it."""
    with field_file.storage.open(field_file.name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def member_name(number: int, photo: Photo) -> str:
    name = photo.download_name
    stem = UNSAFE.sub("_", PurePath(name).stem).strip(" .")[:80] or "foto"
    return f"{number:03d} {stem}{PurePath(name).suffix}"


def members(photos: list[Photo]):
    for number, photo in enumerate(photos, 1):
        served = photo.served_file()
        storage = served.storage
        if not storage.exists(served.name):
            continue  # deleted since the list was made
        size = storage.size(served.name)
        moment = timezone.localtime(photo.taken_at or photo.created_at).replace(tzinfo=None)
        # Level 0: photos and videos are compressed already; deflating them again only costs time.
        yield member_name(number, photo), moment, MODE, ZIP_AUTO(size, level=0), _read(served)


def zip_name(album: Album) -> str:
    return f"{slugify(album.title) or 'fotoalbum'}.zip"


def album_zip_response(album: Album, photos: list[Photo]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream_zip(members(photos), chunk_size=CHUNK), content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, zip_name(album))
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    return response
