"""Photos and files with a message: which are accepted, and how they are stored. (The same rules
as the attachments of news posts; modules do not import each other, so the small pieces live here.)

Photos (JPEG, PNG, WebP; HEIC when pillow-heif is installed) are opened with Pillow, turned
upright, made no larger than 2560 pixels and saved again without their metadata: no EXIF, no GPS
position, no camera serial. Documents (PDF, Word, Excel, PowerPoint, OpenDocument text) are
checked by their content, not only their name. Each file is at most 10 MB. The original file
name is kept for the download; on disk a file has a random name."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import MessageAttachment

MAX_SIZE = 10 * 1024 * 1024
MAX_FILES = 5
MAX_IMAGE_SIDE = 2560

try:  # HEIC photos from iPhones, when the optional decoder is installed
    from pillow_heif import register_heif_opener  # type: ignore[import-not-found]

    register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - depends on the environment
    HEIC = False

# extension → (Pillow format, format to save in, content type of the stored file)
IMAGE_TYPES = {
    ".jpg": ("JPEG", "JPEG", "image/jpeg"),
    ".jpeg": ("JPEG", "JPEG", "image/jpeg"),
    ".png": ("PNG", "PNG", "image/png"),
    ".webp": ("WEBP", "WEBP", "image/webp"),
}
if HEIC:
    IMAGE_TYPES |= {".heic": ("HEIF", "JPEG", "image/jpeg"), ".heif": ("HEIF", "JPEG", "image/jpeg")}

OOXML = b"PK\x03\x04"
DOCUMENT_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text",
}
SAVE_EXTENSION = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def accepted_extensions() -> list[str]:
    return sorted({*IMAGE_TYPES, *DOCUMENT_TYPES})


def accepted_types_text() -> str:
    images = "JPG, PNG, WebP" + (", HEIC" if HEIC else "")
    text = _("Photos (%(images)s) and documents (PDF, Word, Excel, PowerPoint, OpenDocument), at most %(size)s each.")
    return text % {"images": images, "size": filesizeformat(MAX_SIZE)}


@dataclass
class PreparedUpload:
    """An accepted file, ready to be stored with a message."""

    kind: str
    original_name: str
    content_type: str
    content: File
    size: int
    width: int | None = None
    height: int | None = None


def _name(upload) -> str:
    return PurePath(upload.name or "").name[:255] or "bestand"


def prepare_upload(upload) -> PreparedUpload:
    """Check one uploaded file and return what to store; ValidationError with a message that
    names the file otherwise."""
    name = _name(upload)
    extension = PurePath(name).suffix.lower()
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s). Files may be at most %(max)s."),
            params={"name": name, "size": filesizeformat(upload.size), "max": filesizeformat(MAX_SIZE)},
            code="too_large",
        )
    if extension in IMAGE_TYPES:
        return _prepare_image(upload, name, extension)
    if extension in DOCUMENT_TYPES:
        return _prepare_document(upload, name, extension)
    if extension in (".heic", ".heif"):
        raise ValidationError(
            _("“%(name)s” is a HEIC photo, which cannot be added yet. On an iPhone, choose "
              "Settings → Camera → Formats → Most Compatible, or send the photo as JPG."),
            params={"name": name},
            code="heic",
        )
    raise ValidationError(
        _("“%(name)s” is not a file type that can be added. %(accepted)s"),
        params={"name": name, "accepted": accepted_types_text()},
        code="type",
    )


def _not_what_it_says(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” could not be read as the kind of file its name says it is."),
        params={"name": name},
        code="invalid",
    )


def _prepare_image(upload, name: str, extension: str) -> PreparedUpload:
    expected_format, save_format, content_type = IMAGE_TYPES[extension]
    try:
        upload.seek(0)
        with Image.open(upload) as source:
            if source.format not in (expected_format, "MPO" if expected_format == "JPEG" else None):
                raise _not_what_it_says(name)
            source.load()
            image = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_what_it_says(name) from None
    image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    image.info = {}  # no EXIF, GPS, XMP or comments in what is stored
    if save_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 85, "optimize": True} if save_format in ("JPEG", "WEBP") else {"optimize": True}
    image.save(buffer, save_format, **options)
    stored_name = str(PurePath(name).with_suffix(SAVE_EXTENSION[save_format]))
    data = buffer.getvalue()
    return PreparedUpload(
        kind=MessageAttachment.Kind.IMAGE,
        original_name=stored_name,
        content_type=content_type,
        content=ContentFile(data, name=stored_name),
        size=len(data),
        width=image.width,
        height=image.height,
    )


def _prepare_document(upload, name: str, extension: str) -> PreparedUpload:
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == ".pdf":
        valid = head.startswith(b"%PDF-")
    else:
        valid = head.startswith(OOXML) and _zip_is(upload, extension)
        upload.seek(0)
    if not valid:
        raise _not_what_it_says(name)
    return PreparedUpload(
        kind=MessageAttachment.Kind.FILE,
        original_name=name,
        content_type=DOCUMENT_TYPES[extension],
        content=File(upload, name=name),
        size=upload.size,
    )


def _zip_is(upload, extension: str) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if extension == ".odt":
                return "mimetype" in names and archive.read("mimetype").strip() == DOCUMENT_TYPES[".odt"].encode()
            return "[Content_Types].xml" in names
    except (zipfile.BadZipFile, OSError, KeyError):
        return False


def store_upload(message, prepared: PreparedUpload, *, reuse: MessageAttachment | None = None) -> MessageAttachment:
    """Store the file with the message; with ``reuse``, point at the file stored before (the same
    message sent to many families keeps one copy on disk)."""
    attachment = MessageAttachment(
        message=message,
        kind=prepared.kind,
        original_name=prepared.original_name,
        content_type=prepared.content_type,
        size=prepared.size,
        width=prepared.width,
        height=prepared.height,
    )
    if reuse is not None:
        attachment.file.name = reuse.file.name
    else:
        prepared.content.seek(0)
        attachment.file.save(prepared.original_name, prepared.content, save=False)
    attachment.save()
    return attachment
