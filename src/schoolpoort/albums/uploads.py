"""Which uploaded files an album accepts, decided by their content, never by their name.

- Photos: JPEG, PNG, HEIC/HEIF (pillow-heif) and WebP, recognised by Pillow from their header, at
  most 25 MB and 64 megapixels. The pixel count is checked from the header, before anything is
  decoded; Pillow's own decompression bomb check (``Image.DecompressionBombError``, and the warning
  above ``Image.MAX_IMAGE_PIXELS``) refuses the same files while it reads that header.
- Videos: MP4 and MOV (an ISO base media file: an ``ftyp`` box with a video brand) and WebM (an
  EBML header with the webm doc type), at most 200 MB. Stored as uploaded; what is served is a
  copy without metadata (video.py). Whether FFmpeg can read it is found out by the processing task.

Each refusal is a ValidationError whose message names the file and says why; one refused file
never stops the others of the same upload."""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_SIZE = 25 * 1024 * 1024
MAX_VIDEO_SIZE = 200 * 1024 * 1024
MAX_PIXELS = 64_000_000
MAX_FILES = 100  # per request: Django's DATA_UPLOAD_MAX_NUMBER_FILES (the page's script sends one at a time)

try:  # HEIC photos from iPhones
    from pillow_heif import register_heif_opener

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - pillow-heif is a dependency; kept for slim installs
    HEIC = False

# Pillow format → (content type of the original, extension of the stored original)
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "MPO": ("image/jpeg", ".jpg"),  # JPEG with extra frames, from some cameras
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
    "HEIF": ("image/heic", ".heic"),
}
QUICKTIME_BRANDS = {b"qt  "}
MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1", b"M4V ", b"M4VP",
    b"MSNV", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"mmp4", b"XAVC", b"dash",
}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
EBML = b"\x1a\x45\xdf\xa3"


@dataclass
class PreparedUpload:
    """An accepted file, ready to be stored in an album."""

    kind: str  # Photo.Kind
    original_name: str
    content_type: str
    extension: str
    file: object  # the UploadedFile (or any Django File)
    size: int
    width: int | None = None
    height: int | None = None


@dataclass
class Refusal:
    name: str
    reason: str


def accepted_types_text() -> str:
    images = "JPG, PNG" + (", HEIC" if HEIC else "")
    return _("Photos (%(images)s) of at most %(image_size)s and videos (MP4, MOV, WebM) of at most %(video_size)s.") % {
        "images": images,
        "image_size": filesizeformat(MAX_IMAGE_SIZE),
        "video_size": filesizeformat(MAX_VIDEO_SIZE),
    }


def accept_attribute() -> str:
    """For the file input: what phones and laptops offer to choose (the content decides)."""
    return "image/*,video/mp4,video/quicktime,video/webm,.heic,.heif,.mov,.mp4,.webm"


def file_name(upload) -> str:
    return PurePath(getattr(upload, "name", "") or "").name[:255] or "foto"


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, params=params, code=code)


def _head(upload, length: int = 64) -> bytes:
    upload.seek(0)
    head = upload.read(length)
    upload.seek(0)
    return head


def video_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) when ``head`` starts a video container we accept, else None."""
    if head[4:8] == b"ftyp" and len(head) >= 16:
        (box_size,) = struct.unpack(">I", head[:4])
        brands = {head[8:12]}
        end = min(max(box_size, 16), len(head))
        brands |= {head[i : i + 4] for i in range(16, end - 3, 4)}
        if head[8:12] in HEIF_BRANDS:
            return None  # a HEIC photo: Pillow decides
        if brands & QUICKTIME_BRANDS:
            return "video/quicktime", ".mov"
        if brands & MP4_BRANDS:
            return "video/mp4", ".mp4"
        return None
    if head.startswith(EBML) and b"webm" in head[:64]:
        return "video/webm", ".webm"
    return None


def prepare_upload(upload) -> PreparedUpload:
    """Check one uploaded file; what to store, or a ValidationError that names the file."""
    name = file_name(upload)
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("“%(name)s” is empty."), "empty", name=name)
    video = video_type(_head(upload))
    if video is not None:
        if size > MAX_VIDEO_SIZE:
            raise _too_large(name, size, MAX_VIDEO_SIZE)
        content_type, extension = video
        return PreparedUpload("video", name, content_type, extension, upload, size)
    if size > MAX_IMAGE_SIZE:
        raise _too_large(name, size, MAX_IMAGE_SIZE)
    return _prepare_image(upload, name, size)


def _too_large(name: str, size: int, limit: int) -> ValidationError:
    if limit == MAX_IMAGE_SIZE:
        message = _("“%(name)s” is too large (%(size)s). Photos may be at most %(max)s.")
    else:
        message = _("“%(name)s” is too large (%(size)s). Videos may be at most %(max)s.")
    return _refuse(message, "too_large", name=name, size=filesizeformat(size), max=filesizeformat(limit))


def _too_many_pixels(name: str) -> ValidationError:
    return _refuse(
        _("“%(name)s” has too many pixels to be processed safely. Photos may have at most %(max)d megapixels."),
        "too_many_pixels",
        name=name,
        max=MAX_PIXELS // 1_000_000,
    )


def _not_a_photo(name: str) -> ValidationError:
    return _refuse(
        _("“%(name)s” is not a photo or video that can be added. %(accepted)s"),
        "type",
        name=name,
        accepted=accepted_types_text(),
    )


def open_checked(fp, name: str) -> Image.Image:
    """Open an image lazily (only its header is read) and check its size before any decoding.
    The caller closes it. Raises the ValidationError of this module."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(fp)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _too_many_pixels(name) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error):
            raise _not_a_photo(name) from None
    if image.format not in IMAGE_FORMATS:
        image.close()
        raise _not_a_photo(name)
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_PIXELS:
        image.close()
        raise _too_many_pixels(name)
    return image


class _KeepOpen:
    """The upload as Pillow's file: closing the image must not close the upload (it is stored next)."""

    def __init__(self, file):
        self._file = file

    def __getattr__(self, name):
        return getattr(self._file, name)

    def close(self) -> None:
        pass


def _prepare_image(upload, name: str, size: int) -> PreparedUpload:
    upload.seek(0)
    image = open_checked(_KeepOpen(upload), name)
    try:
        content_type, extension = IMAGE_FORMATS[image.format]
        width, height = image.size
    finally:
        image.close()
        upload.seek(0)
    return PreparedUpload("image", name, content_type, extension, upload, size, width, height)


def check_uploads(files) -> tuple[list[PreparedUpload], list[Refusal]]:
    """Every file of one upload: the accepted ones, and the refused ones with their reason."""
    accepted, refused = [], []
    for upload in files:
        try:
            accepted.append(prepare_upload(upload))
        except ValidationError as error:
            refused.append(Refusal(file_name(upload), " ".join(error.messages)))
    return accepted, refused
