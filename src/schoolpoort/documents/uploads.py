"""Which files a shelf accepts, judged by their content, not by their name.

Accepted: PDF (starts with ``%PDF-``), Word, Excel and PowerPoint (Office Open XML: a zip with
``[Content_Types].xml`` and the part of its kind), OpenDocument text, spreadsheet and
presentation (a zip whose ``mimetype`` entry says so), photos (JPEG, PNG, WebP, opened with
Pillow and saved again without their metadata: no GPS position, no camera serial) and plain
text (UTF-8 or Windows-1252, no control characters). At most 25 MB. The content decides the
type that is stored and sent to the browser; a name that says something else (a "brief.pdf" that
is really text) is refused with a message that names the file and says why. A name without an
extension gets the right one. On disk a file has a random name (``models.version_path``)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_SIZE = 25 * 1024 * 1024
TEXT_SAMPLE = 1024 * 1024  # the part of a text file that is checked
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003 and other old formats


@dataclass(frozen=True)
class Kind:
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is given to a name without one


OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"
KINDS = {
    "pdf": Kind(gettext_lazy("a PDF"), "application/pdf", (".pdf",)),
    "docx": Kind(gettext_lazy("a Word document"), f"{OOXML}.wordprocessingml.document", (".docx",)),
    "xlsx": Kind(gettext_lazy("an Excel spreadsheet"), f"{OOXML}.spreadsheetml.sheet", (".xlsx",)),
    "pptx": Kind(gettext_lazy("a PowerPoint presentation"), f"{OOXML}.presentationml.presentation", (".pptx",)),
    "odt": Kind(gettext_lazy("an OpenDocument text"), f"{ODF}.text", (".odt",)),
    "ods": Kind(gettext_lazy("an OpenDocument spreadsheet"), f"{ODF}.spreadsheet", (".ods",)),
    "odp": Kind(gettext_lazy("an OpenDocument presentation"), f"{ODF}.presentation", (".odp",)),
    "jpeg": Kind(gettext_lazy("a JPG photo"), "image/jpeg", (".jpg", ".jpeg")),
    "png": Kind(gettext_lazy("a PNG image"), "image/png", (".png",)),
    "webp": Kind(gettext_lazy("a WebP image"), "image/webp", (".webp",)),
    "text": Kind(gettext_lazy("plain text"), "text/plain", (".txt", ".csv")),
}
# The parts an Office Open XML package of each kind must have.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
ODF_KINDS = {f"{ODF}.text": "odt", f"{ODF}.spreadsheet": "ods", f"{ODF}.presentation": "odp"}
IMAGE_FORMATS = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
SAVE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}


def accepted_extensions() -> list[str]:
    return sorted({extension for kind in KINDS.values() for extension in kind.extensions})


def accepted_types_text() -> str:
    return _(
        "PDF, Word, Excel, PowerPoint, OpenDocument, photos (JPG, PNG, WebP) and plain text, at most %(size)s."
    ) % {"size": filesizeformat(MAX_SIZE)}


@dataclass
class PreparedUpload:
    """An accepted file, ready to be stored as a version."""

    original_name: str
    content_type: str
    content: File
    size: int


def _name(upload) -> str:
    return PurePath(upload.name or "").name[:200] or "document"


def _refuse(message: str, code: str, **params) -> ValidationError:
    return ValidationError(message, params=params, code=code)


def prepare_upload(upload) -> PreparedUpload:
    """Check one uploaded file and return what to store; ValidationError with a message that names
    the file and the reason otherwise."""
    name = _name(upload)
    if upload.size == 0:
        raise _refuse(_("“%(name)s” is empty."), "empty", name=name)
    if upload.size > MAX_SIZE:
        raise _refuse(
            _("“%(name)s” is too large (%(size)s). A document may be at most %(max)s."),
            "too_large", name=name, size=filesizeformat(upload.size), max=filesizeformat(MAX_SIZE),
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(OLE2):
        raise _refuse(
            _("“%(name)s” is in an old Office format (from before 2007). Save it as PDF, or as .docx, .xlsx or "
              ".pptx, and add it again."),
            "old_office", name=name,
        )
    code = _sniff(upload, head)
    upload.seek(0)
    if code is None:
        raise _refuse(
            _("“%(name)s” is not a kind of file that can be added. Accepted: %(accepted)s"),
            "type", name=name, accepted=accepted_types_text(),
        )
    kind = KINDS[code]
    name = _checked_name(name, kind)
    if code in SAVE_FORMATS:
        return _prepare_image(upload, name, code)
    content_type = kind.content_type
    if code == "text":
        content_type = ("text/csv" if name.lower().endswith(".csv") else "text/plain") + f"; charset={_charset(upload)}"
        upload.seek(0)
    return PreparedUpload(name, content_type, File(upload, name=name), upload.size)


def _checked_name(name: str, kind: Kind) -> str:
    """The name, with the kind's extension when it has none; refused when it claims another kind."""
    extension = PurePath(name).suffix.lower()
    if not extension or not extension[1:].isalnum():
        return f"{name}{kind.extensions[0]}"
    if extension in kind.extensions:
        return name
    claimed = next((k for k in KINDS.values() if extension in k.extensions), None)
    if claimed is not None:
        raise _refuse(
            _("“%(name)s” was not added: its name says it is %(claimed)s, but its content is %(kind)s. "
              "Choose the right file, or give it a name ending in %(extension)s."),
            "mismatch", name=name, claimed=claimed.label, kind=kind.label, extension=kind.extensions[0],
        )
    raise _refuse(
        _("“%(name)s” was not added: its name ends in %(ending)s, but its content is %(kind)s. "
          "Give it a name ending in %(extension)s."),
        "mismatch", name=name, ending=extension, kind=kind.label, extension=kind.extensions[0],
    )


def _sniff(upload, head: bytes) -> str | None:
    """The code of the kind of file the content is, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(ZIP):
        return _zip_kind(upload)
    image = _image_kind(upload)
    if image is not None:
        return image
    upload.seek(0)
    return "text" if _charset(upload) else None


def _zip_kind(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    return ODF_KINDS.get(archive.read("mimetype").decode("ascii", "replace").strip())
                return None
            if "[Content_Types].xml" in names:
                return next((code for code, part in OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError):
        return None
    return None


def _image_kind(upload) -> str | None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            code = IMAGE_FORMATS.get(image.format or "")
            if code is not None:
                image.verify()
            return code
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None


def _charset(upload) -> str | None:
    """"utf-8" or "windows-1252" when the start of the file is text without control characters."""
    upload.seek(0)
    sample = upload.read(TEXT_SAMPLE)
    if not sample or b"\x00" in sample:
        return None
    if any(byte < 0x20 and byte not in (0x09, 0x0A, 0x0C, 0x0D) for byte in sample) or b"\x7f" in sample:
        return None
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if len(sample) == TEXT_SAMPLE and error.start >= len(sample) - 3:
            return "utf-8"  # a character cut in two at the end of the sample
    try:
        sample.decode("cp1252")
        return "windows-1252"
    except UnicodeDecodeError:
        return None


def _prepare_image(upload, name: str, code: str) -> PreparedUpload:
    """The photo saved again, upright, without EXIF, GPS, XMP or comments."""
    upload.seek(0)
    try:
        with Image.open(upload) as source:
            source.load()
            image = ImageOps.exif_transpose(source)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _refuse(_("“%(name)s” could not be read as an image."), "invalid", name=name) from None
    image.info = {}
    save_format = SAVE_FORMATS[code]
    if save_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    options = {"quality": 90} if save_format in ("JPEG", "WEBP") else {"optimize": True}
    image.save(buffer, save_format, **options)
    data = buffer.getvalue()
    return PreparedUpload(name, KINDS[code].content_type, ContentFile(data, name=name), len(data))
