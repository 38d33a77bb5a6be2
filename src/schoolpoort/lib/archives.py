"""Opening a ZIP that someone uploaded, with every limit in one place.

A ZIP says how large its members are, but that header is written by whoever made the file: a
400 KB archive can inflate to gigabytes. ``open_zip(data)`` refuses before decompressing anything
what the central directory already gives away (too many members, members or a total larger than
allowed, a compression ratio no real export has, nested archives, encrypted members, path names
that climb out or are absolute); ``read_member`` / ``read_all`` then decompress in chunks and stop
as soon as the bytes actually produced pass a limit, so a lying header gains nothing.

Every refusal is an ``ArchiveRefused`` whose message says which limit, and what the file may hold.

    archive = open_zip(data)                       # raises ArchiveRefused
    files = archive.read_all(suffixes=(".csv",))   # {name: bytes}, raises ArchiveRefused
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

__all__ = ["ArchiveRefused", "Limits", "SafeZip", "DEFAULT_LIMITS", "is_zip", "open_zip"]

CHUNK = 64 * 1024
# Archive formats inside an archive: refused by name and by their first bytes.
NESTED_SUFFIXES = (".zip", ".jar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".tar", ".zst", ".lz", ".cab")
NESTED_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07")
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Limits:
    """What an archive may hold. The defaults fit a board-wide OneRoster export with room to spare
    (tens of thousands of pupils are a few MB of CSV; exports compress 5–20 : 1)."""

    max_members: int = 100
    max_member_size: int = 64 * 1024 * 1024
    max_total_size: int = 128 * 1024 * 1024
    max_ratio: int = 100  # uncompressed : compressed, per member
    max_name_length: int = 255


DEFAULT_LIMITS = Limits()


class ArchiveRefused(Exception):
    """The archive breaks a limit or cannot be read; ``message`` says which, for the user."""

    def __init__(self, message: str, limit: str = ""):
        super().__init__(message)
        self.message = message
        self.limit = limit  # the name of the Limits field (or check) that refused it, for tests and logs

    def __str__(self) -> str:
        return self.message


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _size(value: int) -> str:
    return str(filesizeformat(value)).replace("\xa0", " ")


def _check_name(name: str, limits: Limits) -> None:
    clean = name.replace("\\", "/")
    parts = clean.split("/")
    if (
        not name
        or len(name) > limits.max_name_length
        or _CONTROL.search(name)
        or clean.startswith("/")
        or _DRIVE.match(clean)
        or ".." in parts
        or posixpath.normpath(clean).startswith("..")
    ):
        shown = _CONTROL.sub("?", name)[:80]
        raise ArchiveRefused(
            _(
                "The ZIP file holds a file with a name that is not allowed: “%(name)s”. Names must be relative, "
                "without “..”, and at most %(length)s characters."
            )
            % {"name": shown, "length": limits.max_name_length},
            "names",
        )


def _refuse_nested(name: str) -> None:
    raise ArchiveRefused(
        _(
            "The ZIP file holds another archive (“%(name)s”). Put the files themselves in one ZIP, without "
            "archives inside it."
        )
        % {"name": name[:80]},
        "nested",
    )


class SafeZip:
    """An opened archive whose central directory passed the limits. Read members through it only."""

    def __init__(self, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits):
        self._archive = archive
        self.members = members  # files only, no directories
        self.limits = limits
        self._produced = 0  # bytes decompressed so far, over all members

    @property
    def names(self) -> list[str]:
        return [info.filename for info in self.members]

    def read_member(self, info: zipfile.ZipInfo) -> bytes:
        """Decompress ``info`` in chunks, counting what comes out: never more than the limits."""
        limits = self.limits
        cap_member = limits.max_member_size
        cap_ratio = max(info.compress_size, 1) * limits.max_ratio
        out = bytearray()
        try:
            with self._archive.open(info) as handle:
                while True:
                    chunk = handle.read(CHUNK)
                    if not chunk:
                        break
                    if not out and chunk.startswith(NESTED_MAGIC):
                        _refuse_nested(info.filename)
                    out += chunk
                    self._produced += len(chunk)
                    if len(out) > cap_member:
                        raise _too_large(info.filename, limits)
                    if len(out) > cap_ratio and len(out) > CHUNK:
                        raise _too_compressed(info.filename, limits)
                    if self._produced > limits.max_total_size:
                        raise _too_large_total(limits)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise _damaged() from None
        return bytes(out)

    def read_all(self, suffixes: tuple[str, ...] = ()) -> dict[str, bytes]:
        """Every member (whose name ends with one of ``suffixes``, when given), keyed on its base name."""
        files = {}
        for info in self.members:
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if suffixes and not base.lower().endswith(suffixes):
                continue
            files[base] = self.read_member(info)
        return files


def _too_large(name: str, limits: Limits) -> ArchiveRefused:
    return ArchiveRefused(
        _("“%(name)s” in the ZIP file is larger than %(size)s unpacked; one file in the ZIP may be at most %(size)s.")
        % {"name": name[:80], "size": _size(limits.max_member_size)},
        "max_member_size",
    )


def _too_large_total(limits: Limits) -> ArchiveRefused:
    return ArchiveRefused(
        _("The ZIP file unpacks to more than %(size)s; together its files may be at most %(size)s.")
        % {"size": _size(limits.max_total_size)},
        "max_total_size",
    )


def _too_compressed(name: str, limits: Limits) -> ArchiveRefused:
    return ArchiveRefused(
        _(
            "“%(name)s” in the ZIP file is compressed more than %(ratio)s times, which no real export is; "
            "the file is refused as unsafe."
        )
        % {"name": name[:80], "ratio": limits.max_ratio},
        "max_ratio",
    )


def _damaged() -> ArchiveRefused:
    return ArchiveRefused(_("The ZIP file is damaged and cannot be opened."), "damaged")


def open_zip(data: bytes, limits: Limits = DEFAULT_LIMITS) -> SafeZip:
    """Open ``data`` as a ZIP and check its directory against ``limits`` before anything is unpacked."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise _damaged() from None
    if len(infos) > limits.max_members:
        raise ArchiveRefused(
            _("The ZIP file holds %(count)s files; at most %(max)s are allowed.")
            % {"count": len(infos), "max": limits.max_members},
            "max_members",
        )
    members = []
    total = 0
    for info in infos:
        _check_name(info.filename, limits)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise ArchiveRefused(
                _("“%(name)s” in the ZIP file is protected with a password; export it without one.")
                % {"name": info.filename[:80]},
                "encrypted",
            )
        if info.filename.lower().endswith(NESTED_SUFFIXES):
            _refuse_nested(info.filename)
        # The header may lie; these checks refuse the honest bombs early, read_member the rest.
        if info.file_size > limits.max_member_size:
            raise _too_large(info.filename, limits)
        if info.file_size > CHUNK and info.file_size > max(info.compress_size, 1) * limits.max_ratio:
            raise _too_compressed(info.filename, limits)
        total += info.file_size
        if total > limits.max_total_size:
            raise _too_large_total(limits)
        members.append(info)
    return SafeZip(archive, members, limits)
