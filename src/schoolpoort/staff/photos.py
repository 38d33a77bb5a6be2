"""Staff photos: checked by their content (not their name), turned upright, cut to a square of at
most 512 pixels and saved again as JPEG without any metadata (no EXIF, no GPS position)."""

from __future__ import annotations

import io
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIZE = 10 * 1024 * 1024
SIDE = 512
FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}

try:  # HEIC photos from iPhones, when the optional decoder is installed
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    FORMATS |= {"HEIF"}
except ImportError:  # pragma: no cover - depends on the environment
    pass


def prepare_photo(upload) -> ContentFile:
    """The photo to store, as a new JPEG file; ValidationError when it is not a photo."""
    name = PurePath(upload.name or "").name or "foto"
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). A photo may be at most %(max)s."),
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(MAX_SIZE)},
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as source:
            if source.format not in FORMATS:
                raise _not_a_photo(name)
            source.load()
            image = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_a_photo(name) from None
    return encode(image)


def encode(image: Image.Image) -> ContentFile:
    """A square JPEG of ``image`` without metadata, under a random name."""
    image = ImageOps.fit(image.convert("RGB"), (SIDE, SIDE)) if min(image.size) >= SIDE else _square(image)
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{get_random_string(16)}.jpg")


def _square(image: Image.Image) -> Image.Image:
    side = min(image.size)
    return ImageOps.fit(image.convert("RGB"), (side, side))


def _not_a_photo(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” could not be read as a photo. Choose a JPG, PNG or WebP file."),
        params={"name": name},
        code="invalid",
    )
