"""The employer's statement with a holiday-leave request: a PDF or a photo (JPG, PNG) of at most 5 MB,
checked by its content and not only its name. Photos are saved again without their metadata (no
GPS position). The original name is kept for the download; on disk the file has a random name.

A form with a mistake elsewhere keeps an accepted file: it is parked under a random name, and a
signed token in the form brings it back, so the parent does not have to choose it again."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIZE = 5 * 1024 * 1024
TYPES = {
    ".pdf": ("PDF", "application/pdf"),
    ".jpg": ("JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "image/jpeg"),
    ".png": ("PNG", "image/png"),
}
PARKED = "absences/parked"
TOKEN_SALT = "schoolpoort.absences.statement"
TOKEN_MAX_AGE = 24 * 60 * 60


def accepted_extensions() -> list[str]:
    return sorted(TYPES)


def accepted_types_text() -> str:
    return _("A PDF or a photo (JPG, PNG) of at most %(size)s.") % {"size": filesizeformat(MAX_SIZE)}


@dataclass
class Statement:
    original_name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def prepare_statement(upload) -> Statement:
    """Check one uploaded file; ValidationError with a message that names the file otherwise."""
    name = PurePath(upload.name or "").name[:255] or "verklaring"
    extension = PurePath(name).suffix.lower()
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). The statement may be at most %(max)s."),
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(MAX_SIZE)},
            code="too_large",
        )
    if extension not in TYPES:
        raise ValidationError(
            _("“%(name)s” is not a file type that can be added. %(accepted)s"),
            params={"name": name, "accepted": accepted_types_text()},
            code="type",
        )
    kind, content_type = TYPES[extension]
    upload.seek(0)
    data = upload.read()
    if kind == "PDF":
        if not data.startswith(b"%PDF-"):
            raise _unreadable(name)
        return Statement(name, content_type, data)
    return Statement(name, content_type, _clean_image(data, kind, name))


def _unreadable(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” could not be read as the kind of file its name says it is."), params={"name": name},
        code="invalid",
    )


def _clean_image(data: bytes, kind: str, name: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as source:
            if source.format not in (kind, "MPO" if kind == "JPEG" else None):
                raise _unreadable(name)
            source.load()
            image = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _unreadable(name) from None
    image.info = {}
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, kind, **({"quality": 90} if kind == "JPEG" else {"optimize": True}))
    return buffer.getvalue()


def park(statement: Statement, user) -> str:
    """Keep an accepted file while the form is corrected; returns the token for the form."""
    extension = PurePath(statement.original_name).suffix.lower()
    path = default_storage.save(f"{PARKED}/{uuid.uuid4().hex}{extension}", ContentFile(statement.data))
    return signing.dumps(
        {"path": path, "name": statement.original_name, "type": statement.content_type, "user": user.pk},
        salt=TOKEN_SALT,
    )


def unpark(token: str, user) -> Statement | None:
    """The parked file of this user's token, or None (unknown, expired, someone else's, gone)."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if data.get("user") != user.pk or not str(data.get("path", "")).startswith(f"{PARKED}/"):
        return None
    try:
        with default_storage.open(data["path"], "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError):
        return None
    return Statement(data["name"], data["type"], content)


def discard_parked(token: str) -> None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return
    path = str(data.get("path", ""))
    if path.startswith(f"{PARKED}/"):
        default_storage.delete(path)
