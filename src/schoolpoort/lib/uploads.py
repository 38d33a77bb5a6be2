"""The one safe way in for every uploaded file.

A module declares a ``Policy`` (the kinds it accepts, its limits, what happens to images, its
wording) and calls ``check(upload, policy)``; it gets a ``CheckedFile`` to store with its own
model, or a ValidationError whose message names the file and says why.

- The kind is sniffed from the content, never from the name: PDF, Office Open XML and
  OpenDocument (a zip: only its directory and a member of at most 100 bytes are read), JPEG, PNG,
  WebP, HEIC, MP4/MOV/WebM and plain text. A name that claims another kind is refused (or, with
  ``strict_names=False``, ignored); a name without an extension gets the right one.
- Images are opened by ``images.open_image``: at most 64 megapixels, checked from the header
  before anything is decoded. Re-encoded images (``REENCODE``, ``SQUARE``) keep only their pixels:
  no EXIF, GPS, XMP or comments; HEIC becomes JPEG. ``KEEP`` stores the original (the albums,
  which serve only versions made in the worker through the same checked open).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import images
from .images import HEIC, MAX_PIXELS  # noqa: F401 - part of the kernel's interface

TEXT_SAMPLE = 1024 * 1024  # the part of a text file that is checked
ZIP_TAIL = 64 * 1024 + 22  # the end of a zip holds its directory's size and count
MAX_ZIP_ENTRIES = 20_000  # a large presentation has a few thousand parts
MAX_ZIP_DIRECTORY = 4 * 1024 * 1024  # bytes of a zip's directory: what zipfile turns into objects
MAX_MIMETYPE = 100  # an OpenDocument's "mimetype" member
HEAD = 64


class Family(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Kind:
    label: Promise
    content_type: str
    extensions: tuple[str, ...]  # the first is given to a name without one
    family: Family
    pillow_format: str = ""  # for images: the format it is saved in again


OOXML = "application/vnd.openxmlformats-officedocument"
ODF = "application/vnd.oasis.opendocument"
KINDS = {
    "pdf": Kind(gettext_lazy("a PDF"), "application/pdf", (".pdf",), Family.DOCUMENT),
    "docx": Kind(gettext_lazy("a Word document"), f"{OOXML}.wordprocessingml.document", (".docx",), Family.DOCUMENT),
    "xlsx": Kind(gettext_lazy("an Excel spreadsheet"), f"{OOXML}.spreadsheetml.sheet", (".xlsx",), Family.DOCUMENT),
    "pptx": Kind(gettext_lazy("a PowerPoint presentation"), f"{OOXML}.presentationml.presentation", (".pptx",),
                 Family.DOCUMENT),
    "odt": Kind(gettext_lazy("an OpenDocument text"), f"{ODF}.text", (".odt",), Family.DOCUMENT),
    "ods": Kind(gettext_lazy("an OpenDocument spreadsheet"), f"{ODF}.spreadsheet", (".ods",), Family.DOCUMENT),
    "odp": Kind(gettext_lazy("an OpenDocument presentation"), f"{ODF}.presentation", (".odp",), Family.DOCUMENT),
    "text": Kind(gettext_lazy("plain text"), "text/plain", (".txt", ".csv"), Family.DOCUMENT),
    "jpeg": Kind(gettext_lazy("a JPG photo"), "image/jpeg", (".jpg", ".jpeg"), Family.IMAGE, "JPEG"),
    "png": Kind(gettext_lazy("a PNG image"), "image/png", (".png",), Family.IMAGE, "PNG"),
    "webp": Kind(gettext_lazy("a WebP image"), "image/webp", (".webp",), Family.IMAGE, "WEBP"),
    "heic": Kind(gettext_lazy("a HEIC photo"), "image/heic", (".heic", ".heif"), Family.IMAGE, "JPEG"),
    "mp4": Kind(gettext_lazy("an MP4 video"), "video/mp4", (".mp4", ".m4v"), Family.VIDEO),
    "mov": Kind(gettext_lazy("a QuickTime video"), "video/quicktime", (".mov",), Family.VIDEO),
    "webm": Kind(gettext_lazy("a WebM video"), "video/webm", (".webm",), Family.VIDEO),
}
PHOTOS = frozenset({"jpeg", "png", "webp"} | ({"heic"} if HEIC else set()))
OFFICE = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
VIDEOS = frozenset({"mp4", "mov", "webm"})
PILLOW_FORMATS = {"jpeg": ("JPEG",), "png": ("PNG",), "webp": ("WEBP",), "heic": ("HEIF",)}
SAVED_AS = {"JPEG": ("jpeg", ".jpg"), "PNG": ("png", ".png"), "WEBP": ("webp", ".webp")}

# Signatures
PDF = b"%PDF-"
ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003 and other old formats
PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
EBML = b"\x1a\x45\xdf\xa3"
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
ODF_KINDS = {f"{ODF}.text": "odt", f"{ODF}.spreadsheet": "ods", f"{ODF}.presentation": "odp"}
QUICKTIME_BRANDS = {b"qt  "}
MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1", b"M4V ", b"M4VP",
    b"MSNV", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"mmp4", b"XAVC", b"dash",
}
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}


class Images(StrEnum):
    """What happens to an accepted image."""

    REENCODE = "reencode"  # upright, at most ``image_side``, pixels only; HEIC becomes JPEG
    SQUARE = "square"  # the middle square of at most ``image_side``, as JPEG, pixels only
    KEEP = "keep"  # stored as uploaded (checked, never decoded here); served only as worker-made versions


TOO_LARGE = gettext_lazy("“%(name)s” is too large (%(size)s). Files may be at most %(max)s.")
NOT_ACCEPTED = gettext_lazy("“%(name)s” is not a file type that can be added. %(accepted)s")
UNREADABLE = gettext_lazy("“%(name)s” could not be read as the kind of file its name says it is.")


@dataclass(frozen=True)
class Policy:
    """What one upload field accepts. Messages get ``name``, ``size``, ``max`` and ``accepted``."""

    kinds: frozenset[str]
    max_size: int
    max_files: int = 1
    images: Images = Images.REENCODE
    image_side: int = 2560
    quality: int = 85
    strict_names: bool = True  # a name that claims another kind is refused, not ignored
    video_max_size: int = 0
    describe: Callable[[], str] = str  # the accepted kinds and limits, in words
    too_large: Promise | str = TOO_LARGE
    video_too_large: Promise | str = TOO_LARGE
    not_accepted: Promise | str = NOT_ACCEPTED
    unreadable: Promise | str = UNREADABLE

    def accepts_office(self) -> bool:
        return bool(self.kinds & OFFICE)

    def extensions(self) -> list[str]:
        """For the file input's ``accept``: what phones and laptops offer (the content decides)."""
        return sorted({extension for code in self.kinds for extension in KINDS[code].extensions})


@dataclass
class CheckedFile:
    """An accepted file, ready to be stored by its module."""

    name: str  # to show and to download with; the extension fits the content
    kind: str  # a key of KINDS: what is stored
    content_type: str
    content: File  # the new bytes, or the upload itself (seek(0) before storing)
    size: int
    width: int | None = None
    height: int | None = None

    @property
    def family(self) -> Family:
        return KINDS[self.kind].family

    @property
    def is_image(self) -> bool:
        return self.family == Family.IMAGE

    @property
    def extension(self) -> str:
        return KINDS[self.kind].extensions[0]

    def read(self) -> bytes:
        self.content.seek(0)
        data = self.content.read()
        self.content.seek(0)
        return data


def file_name(upload, default: str = "bestand") -> str:
    return PurePath(getattr(upload, "name", "") or "").name[:200] or default


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params)


def check(upload, policy: Policy, *, name: str | None = None) -> CheckedFile:
    """Check one uploaded file against ``policy`` and return what to store; ValidationError with a
    message that names the file and says why otherwise."""
    name = name or file_name(upload)
    size = upload.size or 0
    if size == 0:
        raise _refuse(_("“%(name)s” is empty."), "empty", name=name)
    head = _head(upload)
    video = video_kind(head) in policy.kinds
    if size > (policy.video_max_size if video else policy.max_size):
        raise _too_large(policy, name, size, video=video)
    code = sniff(upload, head, text=("text" in policy.kinds))
    if head.startswith(OLE2) and policy.accepts_office():
        raise _refuse(
            _("“%(name)s” is in an old Office format (from before 2007). Save it as PDF, or as .docx, .xlsx or "
              ".pptx, and add it again."),
            "old_office", name=name,
        )
    if code is None or code not in policy.kinds:
        claimed = _claimed(name)
        if claimed is not None and claimed in policy.kinds and policy.strict_names:
            raise _refuse(policy.unreadable, "invalid", name=name, accepted=policy.describe())
        raise _refuse(policy.not_accepted, "type", name=name, accepted=policy.describe())
    kind = KINDS[code]
    if policy.strict_names:
        name = _checked_name(name, kind)
    upload.seek(0)
    if kind.family == Family.IMAGE:
        return _image(upload, name, code, size, policy)
    content_type = kind.content_type
    if code == "text":
        content_type = ("text/csv" if name.lower().endswith(".csv") else "text/plain") + f"; charset={_charset(upload)}"
        upload.seek(0)
    return CheckedFile(name, code, content_type, File(upload, name=name), size)


def _too_large(policy: Policy, name: str, size: int, *, video: bool) -> ValidationError:
    message, limit = (policy.video_too_large, policy.video_max_size) if video else (policy.too_large, policy.max_size)
    return _refuse(message, "too_large", name=name, size=filesizeformat(size), max=filesizeformat(limit))


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD)
    upload.seek(0)
    return head


def _claimed(name: str) -> str | None:
    extension = PurePath(name).suffix.lower()
    return next((code for code, kind in KINDS.items() if extension in kind.extensions), None)


def _checked_name(name: str, kind: Kind) -> str:
    """The name, with the kind's extension when it has none; refused when it claims another kind."""
    extension = PurePath(name).suffix.lower()
    if not extension or not extension[1:].isalnum():
        return f"{name}{kind.extensions[0]}"
    if extension in kind.extensions:
        return name
    claimed = _claimed(name)
    if claimed is not None:
        raise _refuse(
            _("“%(name)s” was not added: its name says it is %(claimed)s, but its content is %(kind)s. "
              "Choose the right file, or give it a name ending in %(extension)s."),
            "mismatch", name=name, claimed=KINDS[claimed].label, kind=kind.label, extension=kind.extensions[0],
        )
    raise _refuse(
        _("“%(name)s” was not added: its name ends in %(ending)s, but its content is %(kind)s. "
          "Give it a name ending in %(extension)s."),
        "mismatch", name=name, ending=extension, kind=kind.label, extension=kind.extensions[0],
    )


# --- Sniffing ------------------------------------------------------------------------------------


def sniff(upload, head: bytes, *, text: bool = True) -> str | None:
    """The key in KINDS of what the content is, or None. Reads the head, a zip's directory and
    at most one small member, and (with ``text``) the first megabyte."""
    if head.startswith(PDF):
        return "pdf"
    if head.startswith(ZIP):
        return _zip_kind(upload)
    if head.startswith(JPEG):
        return "jpeg"
    if head.startswith(PNG):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "heic"
    video = video_kind(head)
    if video is not None:
        return video
    if text and _charset(upload):
        return "text"
    return None


def video_kind(head: bytes) -> str | None:
    """"mp4", "mov" or "webm" when ``head`` starts a video container we accept, else None."""
    if head[4:8] == b"ftyp" and len(head) >= 16:
        (box_size,) = struct.unpack(">I", head[:4])
        brands = {head[8:12]}
        end = min(max(box_size, 16), len(head))
        brands |= {head[i : i + 4] for i in range(16, end - 3, 4)}
        if head[8:12] in HEIF_BRANDS | AVIF_BRANDS:
            return None  # a photo
        if brands & QUICKTIME_BRANDS:
            return "mov"
        if brands & MP4_BRANDS:
            return "mp4"
        return None
    if head.startswith(EBML) and b"webm" in head[:64]:
        return "webm"
    return None


def _zip_directory(upload) -> tuple[int, int] | None:
    """The number of members and the size of the directory a zip says it has (its end record)."""
    upload.seek(0, io.SEEK_END)
    end = upload.tell()
    upload.seek(max(0, end - ZIP_TAIL))
    tail = upload.read(ZIP_TAIL)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        return None
    count, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    return count, directory


def _zip_kind(upload) -> str | None:
    """An Office Open XML or OpenDocument kind, from the member names and a ``mimetype`` member of
    at most 100 bytes; nothing else is decompressed. Zips with very many members are refused
    before their directory is read (each member costs memory)."""
    directory = _zip_directory(upload)
    # 0xFFFF members: a zip64 directory, never an Office file of our sizes
    if directory is None or directory[0] > MAX_ZIP_ENTRIES or directory[1] > MAX_ZIP_DIRECTORY:
        return None
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size > MAX_MIMETYPE or info.compress_size > MAX_MIMETYPE:
                    return None
                with archive.open(info) as member:
                    value = member.read(MAX_MIMETYPE + 1)
                return ODF_KINDS.get(value.decode("ascii", "replace").strip())
            if "[Content_Types].xml" in names:
                return next((code for code, part in OOXML_PARTS.items() if part in names), None)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, EOFError,
            NotImplementedError, ValueError):
        return None
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


# --- Images --------------------------------------------------------------------------------------


def _image(upload, name: str, code: str, size: int, policy: Policy) -> CheckedFile:
    def unreadable(file_name: str) -> ValidationError:
        return _refuse(policy.unreadable, "invalid", name=file_name, accepted=policy.describe())

    image = images.open_image(upload, name, PILLOW_FORMATS[code], unreadable)
    try:
        if policy.images == Images.KEEP:
            width, height = image.size
            return CheckedFile(name, code, KINDS[code].content_type, upload, size, width, height)
        try:
            if policy.images == Images.SQUARE:
                pixels, image_format = images.squared(image, policy.image_side), "JPEG"
            else:
                image_format = KINDS[code].pillow_format
                pixels = images.shrunk(image, policy.image_side, keep_alpha=image_format != "JPEG")
            data = images.encode(pixels, image_format, policy.quality)
        except images.UNREADABLE_ERRORS:
            raise unreadable(name) from None
    finally:
        image.close()
        upload.seek(0)
    stored_code, extension = SAVED_AS[image_format]
    stored_name = str(PurePath(name).with_suffix(extension)) if PurePath(name).suffix else f"{name}{extension}"
    return CheckedFile(stored_name, stored_code, KINDS[stored_code].content_type,
                       ContentFile(data, name=stored_name), len(data), pixels.width, pixels.height)


def check_all(files, policy: Policy) -> tuple[list[CheckedFile], list[ValidationError]]:
    """Every file of one field: the accepted ones and the refusals (one refusal never stops the others)."""
    accepted, refused = [], []
    for upload in files:
        try:
            accepted.append(check(upload, policy))
        except ValidationError as error:
            refused.append(error)
    return accepted, refused


# --- Photos and documents with a post or a message (news, messages) ----------------------------------

ATTACHMENTS = PHOTOS | {"pdf", "docx", "xlsx", "pptx", "odt"}


def attachments_text(max_size: int) -> str:
    images = "JPG, PNG, WebP" + (", HEIC" if HEIC else "")
    text = _("Photos (%(images)s) and documents (PDF, Word, Excel, PowerPoint, OpenDocument), at most %(size)s each.")
    return text % {"images": images, "size": filesizeformat(max_size)}


def attachment_policy(*, max_files: int, max_size: int = 10 * 1024 * 1024) -> Policy:
    """Photos (saved again upright, at most 2560 pixels, without metadata) and office documents."""
    return Policy(kinds=ATTACHMENTS, max_size=max_size, max_files=max_files, image_side=2560,
                  describe=partial(attachments_text, max_size))
