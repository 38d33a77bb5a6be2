"""The sample files of tests/imports/samples, moved to the current school year (they say 2025-2026)."""

from pathlib import Path

from django.utils import timezone

from schoolpoort.imports import formats
from schoolpoort.imports.planner import school_year_name_for

SAMPLES = Path(__file__).parent / "samples"


def this_year() -> str:
    return school_year_name_for(timezone.localdate())


def next_year() -> str:
    first = int(this_year()[:4]) + 1
    return f"{first}-{first + 1}"


def _moved(text: str, year: str | None = None) -> str:
    year = year or this_year()
    first, last = year.split("-")
    return (
        text.replace("2025-2026", year)
        .replace("2025-08-01", f"{first}-08-01")
        .replace("2026-07-31", f"{last}-07-31")
        .replace(",2026\n", f",{last}\n")
    )


def edexml(year: str | None = None, **replace: str) -> bytes:
    text = _moved((SAMPLES / "EDEX.XML").read_text(), year)
    for old, new in replace.items():
        text = text.replace(old, new)
    return text.encode()


def guardians_csv(extra: str = "") -> bytes:
    return (SAMPLES / "ouders.csv").read_bytes() + extra.encode()


def oneroster_files(year: str | None = None) -> dict[str, bytes]:
    return {p.name: _moved(p.read_text(), year).encode() for p in (SAMPLES / "oneroster").iterdir()}


def oneroster_zip(year: str | None = None) -> bytes:
    return formats.bundle(oneroster_files(year))
