"""Staff photos: the policy (checked by the kernel, ``lib.uploads``, by content and not by name)
and the photo to store: the middle square of at most 512 pixels, upright, as a JPEG without any
metadata (no EXIF, no GPS position)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy
from PIL import Image

from schoolpoort.lib import images, uploads

SIDE = 512
NOT_A_PHOTO = gettext_lazy("“%(name)s” could not be read as a photo. Choose a JPG, PNG or WebP file.")
POLICY = uploads.Policy(
    kinds=uploads.PHOTOS,
    max_size=10 * 1024 * 1024,
    images=uploads.Images.SQUARE,
    image_side=SIDE,
    strict_names=False,  # the content decides; the name is not kept
    too_large=gettext_lazy("“%(name)s” is too large (%(size)s). A photo may be at most %(max)s."),
    not_accepted=NOT_A_PHOTO,
    unreadable=NOT_A_PHOTO,
)


def prepare_photo(upload) -> ContentFile:
    """The photo to store, as a new JPEG file; ValidationError when it is not a photo."""
    checked = uploads.check(upload, POLICY, name=uploads.file_name(upload, "foto"))
    return ContentFile(checked.read(), name=_random_name())


def encode(image: Image.Image) -> ContentFile:
    """A square JPEG of ``image`` without metadata, under a random name (the demo's portraits)."""
    return ContentFile(images.encode(images.squared(image, SIDE), "JPEG"), name=_random_name())


def _random_name() -> str:
    return f"{get_random_string(16)}.jpg"
