"""Which files a shelf accepts: the policy, checked by the kernel (``lib.uploads``) by content.

Accepted: PDF, Word, Excel and PowerPoint (Office Open XML), OpenDocument text, spreadsheet and
presentation, photos (JPG, PNG, WebP: saved again without their metadata, at most 4096 pixels)
and plain text (UTF-8 or Windows-1252). At most 25 MB. The content decides the type that is stored
and sent to the browser; a name that says something else is refused with a message that names the
file and says why; a name without an extension gets the right one. On disk a file has a random
name (``models.version_path``)."""

from __future__ import annotations

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.lib import uploads
from schoolpoort.lib.uploads import CheckedFile


def accepted_types_text() -> str:
    return _(
        "PDF, Word, Excel, PowerPoint, OpenDocument, photos (JPG, PNG, WebP) and plain text, at most %(size)s."
    ) % {"size": filesizeformat(POLICY.max_size)}


POLICY = uploads.Policy(
    kinds=frozenset({"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp", "jpeg", "png", "webp", "text"}),
    max_size=25 * 1024 * 1024,
    image_side=4096,  # a photographed poster or floor plan stays sharp
    quality=90,
    describe=accepted_types_text,
    too_large=gettext_lazy("“%(name)s” is too large (%(size)s). A document may be at most %(max)s."),
    not_accepted=gettext_lazy("“%(name)s” is not a kind of file that can be added. Accepted: %(accepted)s"),
)


def accepted_extensions() -> list[str]:
    return POLICY.extensions()


def prepare_upload(upload) -> CheckedFile:
    """Check one uploaded file (ValidationError with a message that names the file and the reason otherwise)."""
    return uploads.check(upload, POLICY, name=uploads.file_name(upload, "document"))
