"""The employer's statement with a holiday-leave request: a PDF or a photo (JPG, PNG) of at most 5 MB,
checked by the kernel (``lib.uploads``) by its content. Photos are saved again without their
metadata (no GPS position). The original name is kept for the download; on disk the file has a random name.

The statement is encrypted at rest (``lib.encryption``), also while it is parked. A form with a
mistake elsewhere keeps an accepted file: it is parked under a random name, and a
signed token in the form brings it back, so the parent does not have to choose it again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath

from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.lib import uploads
from schoolpoort.lib.encryption import encrypted_storage

PARKED = "absences/parked"
TOKEN_SALT = "schoolpoort.absences.statement"
TOKEN_MAX_AGE = 24 * 60 * 60


def accepted_types_text() -> str:
    return _("A PDF or a photo (JPG, PNG) of at most %(size)s.") % {"size": filesizeformat(POLICY.max_size)}


POLICY = uploads.Policy(
    kinds=frozenset({"pdf", "jpeg", "png"}),
    max_size=5 * 1024 * 1024,
    image_side=4096,  # a photographed statement stays readable
    quality=90,
    describe=accepted_types_text,
    too_large=gettext_lazy("“%(name)s” is too large (%(size)s). The statement may be at most %(max)s."),
)


def accepted_extensions() -> list[str]:
    return POLICY.extensions()


@dataclass
class Statement:
    original_name: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def prepare_statement(upload) -> Statement:
    """Check one uploaded file (by the kernel); ValidationError with a message that names the file otherwise."""
    checked = uploads.check(upload, POLICY, name=uploads.file_name(upload, "verklaring"))
    return Statement(checked.name, checked.content_type, checked.read())


def park(statement: Statement, user) -> str:
    """Keep an accepted file while the form is corrected; returns the token for the form."""
    extension = PurePath(statement.original_name).suffix.lower()
    path = encrypted_storage().save(f"{PARKED}/{uuid.uuid4().hex}{extension}", ContentFile(statement.data))
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
        with encrypted_storage().open(data["path"], "rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError, ImproperlyConfigured):  # gone, or parked before encryption
        return None
    return Statement(data["name"], data["type"], content)


def discard_parked(token: str) -> None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return
    path = str(data.get("path", ""))
    if path.startswith(f"{PARKED}/"):
        encrypted_storage().delete(path)
