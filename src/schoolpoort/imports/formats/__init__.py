"""The three formats, each a ``parse(...) -> Dataset``, and the detection of which one a file is."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from schoolpoort.lib.csv import RowError

from ..dataset import Dataset
from . import edexml, guardians_csv, oneroster

EDEXML = edexml.FORMAT
GUARDIANS = guardians_csv.FORMAT
ONEROSTER = oneroster.FORMAT
FORMATS = {EDEXML: "EDEXML", GUARDIANS: "CSV", ONEROSTER: "OneRoster 1.1"}


def detect(data: bytes) -> str | None:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return EDEXML
    if data[:4] == b"PK\x03\x04":
        try:
            names = {n.rsplit("/", 1)[-1].lower() for n in zipfile.ZipFile(io.BytesIO(data)).namelist()}
        except zipfile.BadZipFile:
            return None
        return ONEROSTER if "users.csv" in names else None
    if head:
        return GUARDIANS
    return None


def parse(data: bytes, fmt: str | None = None) -> Dataset:
    """Parse ``data`` (for OneRoster: a ZIP of its CSV files) as ``fmt``, or as what it looks like."""
    fmt = fmt or detect(data)
    if fmt == EDEXML:
        return edexml.parse(data)
    if fmt == ONEROSTER:
        return oneroster.parse_zip(data)
    if fmt == GUARDIANS:
        return guardians_csv.parse(data)
    dataset = Dataset(format="")
    dataset.errors.append(RowError(1, _("This file is not an EDEX.XML, a guardian CSV or a OneRoster ZIP.")))
    return dataset


def bundle(files: dict[str, bytes]) -> bytes:
    """Several uploaded files (OneRoster's separate CSVs) as one ZIP, the form in which they are kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1], content)
    return buffer.getvalue()
