"""What bumps the absences version of the cached home block (``access.cached_part``,
absences/home.py): every save and delete of an absence and of the school's absence settings.
Confirming an absence writes around the signals (``update()``) and bumps itself."""

from __future__ import annotations

from schoolpoort.core.versions import bump_on_writes

from .models import Absence, AbsenceSettings


def connect() -> None:
    bump_on_writes("absences", models=(Absence, AbsenceSettings))
