"""Which uploaded files an album accepts: the policy, checked by the kernel (``lib.uploads``) by
content, never by name.

- Photos: JPEG, PNG, WebP and HEIC, at most 25 MB and 64 megapixels (checked from the header,
  before anything is decoded). The original is kept privately, never served; the worker makes
  the served versions through the kernel's checked open (``processing.py``).
- Videos: MP4 and MOV (an ``ftyp`` box with a video brand) and WebM (an EBML header with the webm
  doc type), at most 200 MB. Stored as uploaded; what is served is a copy without metadata
  (video.py). Whether FFmpeg can read it is found out by the processing task.

Each refusal is a message that names the file and says why; one refused file never stops the
others of the same upload."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.lib import uploads
from schoolpoort.lib.uploads import CheckedFile

NOT_A_PHOTO = gettext_lazy("“%(name)s” is not a photo or video that can be added. %(accepted)s")


def accepted_types_text() -> str:
    images = "JPG, PNG" + (", HEIC" if uploads.HEIC else "")
    return _("Photos (%(images)s) of at most %(image_size)s and videos (MP4, MOV, WebM) of at most %(video_size)s.") % {
        "images": images,
        "image_size": filesizeformat(POLICY.max_size),
        "video_size": filesizeformat(POLICY.video_max_size),
    }


POLICY = uploads.Policy(
    kinds=uploads.PHOTOS | uploads.VIDEOS,
    max_size=25 * 1024 * 1024,
    video_max_size=200 * 1024 * 1024,
    max_files=100,  # per request: Django's DATA_UPLOAD_MAX_NUMBER_FILES (the page's script sends one at a time)
    images=uploads.Images.KEEP,
    strict_names=False,  # a PNG called .jpg is accepted for what it is
    describe=accepted_types_text,
    too_large=gettext_lazy("“%(name)s” is too large (%(size)s). Photos may be at most %(max)s."),
    video_too_large=gettext_lazy("“%(name)s” is too large (%(size)s). Videos may be at most %(max)s."),
    not_accepted=NOT_A_PHOTO,
    unreadable=NOT_A_PHOTO,
)


@dataclass
class Refusal:
    name: str
    reason: str


def accept_attribute() -> str:
    """For the file input: what phones and laptops offer to choose (the content decides)."""
    return "image/*,video/mp4,video/quicktime,video/webm,.heic,.heif,.mov,.mp4,.webm"


def file_name(upload) -> str:
    return uploads.file_name(upload, "foto")


def prepare_upload(upload) -> CheckedFile:
    """Check one uploaded file; what to store, or a ValidationError that names the file."""
    return uploads.check(upload, POLICY, name=file_name(upload))


def check_uploads(files) -> tuple[list[CheckedFile], list[Refusal]]:
    """Every file of one upload: the accepted ones, and the refused ones with their reason."""
    accepted, refused = [], []
    for upload in files:
        try:
            accepted.append(prepare_upload(upload))
        except ValidationError as error:
            refused.append(Refusal(file_name(upload), " ".join(error.messages)))
    return accepted, refused
