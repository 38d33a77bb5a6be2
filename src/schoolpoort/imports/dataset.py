"""The one normalised form every parser produces (EDEXML, the guardian CSV, OneRoster) and the
planner reads. Keys are the administration system's own: a group's key, the pupil number."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from schoolpoort.lib.csv import RowError


@dataclass
class SisGroup:
    key: str
    name: str
    grades: str  # "3", or "5/6" for a combination group
    line: int = 0


@dataclass
class SisStudent:
    key: str  # the pupil number (leerlingnummer): Student.sis_id
    first_name: str
    infix: str
    last_name: str
    date_of_birth: datetime.date | None
    group_key: str
    line: int = 0


@dataclass
class SisTeacher:
    key: str
    email: str  # lower case
    first_name: str
    last_name: str  # with the infix: "van der Berg"
    group_keys: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class SisGuardian:
    student_key: str
    email: str  # lower case, may be empty
    relation: str  # a Guardianship.Relation value
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    has_parental_authority: bool = True
    line: int = 0


@dataclass
class SchoolData:
    """What one file says about one school.

    ``full`` means the file lists every pupil of the school (EDEXML, OneRoster): pupils missing
    from it are leavers. The guardian CSV is not full: it says nothing about pupils or groups."""

    brin: str = ""
    name: str = ""
    school_year: str = ""  # "2025-2026"; empty: the current school year
    full: bool = True
    groups: list[SisGroup] = field(default_factory=list)
    students: list[SisStudent] = field(default_factory=list)
    teachers: list[SisTeacher] = field(default_factory=list)
    guardians: list[SisGuardian] | None = None  # None: the file says nothing about guardians
    source: str = ""  # the file the pupils came from, for error messages


@dataclass
class Dataset:
    format: str
    schools: list[SchoolData] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    def for_brin(self, brin: str) -> SchoolData | None:
        brin = brin.upper()
        return next((s for s in self.schools if s.brin.upper() == brin), None)


# --- Small normalisers the parsers share -------------------------------------------------------

_YEAR = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*$")


def school_year_name(value: str) -> str | None:
    """ "2025-2026", "2025/2026", "2025-26" → "2025-2026"; a single year "2026" (OneRoster's
    schoolYear: the calendar year in which the school year ends) → "2025-2026"."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.isdigit() and len(value) == 4:
        return f"{int(value) - 1}-{value}"
    match = _YEAR.match(value)
    if not match:
        return None
    first = int(match.group(1))
    return f"{first}-{first + 1}"


def parse_date(value: str) -> datetime.date | None:
    """ISO dates as the standards write them, and dd-mm-yyyy as Dutch spreadsheets do. Raises
    ValueError for anything else."""
    value = (value or "").strip()
    if not value:
        return None
    value = value[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", value) else value
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def grades_from(value: str) -> str:
    """ "3" → "3"; "groep 5/6", "05,06", "5-6" → "5/6". Empty when there is no number."""
    numbers = [str(int(n)) for n in re.findall(r"\d+", value or "")]
    seen = list(dict.fromkeys(numbers))
    return "/".join(seen)


def clean_email(value: str) -> str:
    """Lower-cased address; raises ValidationError when it is not one."""
    value = (value or "").strip().lower()
    if value:
        validate_email(value)
    return value


def join_infix(infix: str, last_name: str) -> str:
    return " ".join(p for p in (infix.strip(), last_name.strip()) if p)


def required_text(value: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("%(field)s is empty.") % {"field": label})
    return value
