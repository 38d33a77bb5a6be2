"""The family's data, downloadable (AVG art. 15 and 20): the protocol between the export and the
modules that hold the data.

Every module that keeps something about a family has ``<app>/family_export.py`` with

    def export_for(user) -> Section | None

that returns, for one guardian, what the module holds about them and their children: JSON-able
``data`` and the ``files`` that go with it. The hook reads through the module's own access
builders (``visible_to``) limited to the guardian's own children, so nothing of another family
and nothing a guardian without parental authority may not see reaches the ZIP. ``accounts``
finds the hooks with ``module_hooks("family_export", "export_for")`` and builds the ZIP; it imports
no module.

Member names inside the ZIP are made from ids (``member_name``), never from uploaded file names:
the original names are in the JSON, where the guardian reads them, and a name typed by someone else
can neither climb out of a folder nor carry another child's name into the file list."""

from __future__ import annotations

import datetime
import decimal
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

HOOK = "family_export"
FUNCTION = "export_for"

_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class ExportFile:
    """One stored file for the ZIP: ``name`` inside it (from ``member_name``) and the FieldFile."""

    name: str
    file: Any


@dataclass
class Section:
    """What one module holds about the family: ``<name>.json`` and the files under ``<name>/``."""

    name: str
    data: Any
    files: list[ExportFile] = field(default_factory=list)

    def add_file(self, folder: str, key, field_file, original_name: str = "") -> str | None:
        """Add a stored file (skipped when empty) and return its name in the ZIP, for the JSON."""
        if not field_file:
            return None
        name = member_name(f"{self.name}/{folder}", key, original_name or field_file.name)
        self.files.append(ExportFile(name, field_file))
        return name


def member_name(folder: str, key, original_name: str = "") -> str:
    """``folder/key.suffix``: the suffix of the original name when it is a plain one."""
    suffix = PurePath(original_name or "").suffix.lower()
    return f"{folder}/{key}{suffix if _SUFFIX.match(suffix) else ''}"


def jsonable(value):
    """A model field's value as JSON: dates and times in ISO 8601, decimals as text."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def row(obj, fields: Iterable[str]) -> dict:
    """The named attributes of ``obj``; a field with choices also gives its readable label."""
    out = {}
    for name in fields:
        out[name] = jsonable(getattr(obj, name))
        display = getattr(obj, f"get_{name}_display", None)
        if display is not None:
            out[f"{name}_label"] = str(display())
    return out


def person(user) -> str:
    """A person's name as the family sees it (staff and the guardian themself), never an e-mail."""
    if user is None:
        return ""
    return getattr(user, "full_name", "") or ""
