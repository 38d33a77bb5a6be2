"""Timetables of the demo school (DEMO.md): groep 3 of De Regenboog has something on every school
day (gym on Tuesday and Thursday), so that the home page always has a reminder for "tomorrow";
groep 6 has gym and the library, groep 5 of De Ark swimming. Other groups have gym twice a week."""

from __future__ import annotations

import datetime

from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import ARK, REGENBOOG, DemoWorld

from .models import TimetableEntry

GYM, SWIM, LIBRARY, MUSIC, OTHER = (TimetableEntry.Activity.GYM, TimetableEntry.Activity.SWIMMING,
                                    TimetableEntry.Activity.LIBRARY, TimetableEntry.Activity.MUSIC,
                                    TimetableEntry.Activity.OTHER)
GYM_CLOTHES = "gymspullen mee"

# (BRIN, grade): [(weekday, start, end, activity, label, reminder)]
FIXED = {
    (REGENBOOG, "3"): [
        (0, (8, 45), (9, 15), LIBRARY, "", "bibliotheekboek mee"),
        (1, (10, 30), (11, 15), GYM, "", GYM_CLOTHES),
        (2, (13, 15), (14, 0), MUSIC, "muziekles", ""),
        (3, (10, 30), (11, 15), GYM, "", GYM_CLOTHES),
        (4, (8, 30), (9, 0), OTHER, "speelgoedochtend", "eigen speelgoed mee"),
    ],
    (REGENBOOG, "6"): [
        (0, (13, 15), (14, 0), GYM, "", GYM_CLOTHES),
        (2, (11, 0), (11, 45), LIBRARY, "", "leesboek terugbrengen"),
        (3, (13, 15), (14, 0), MUSIC, "", ""),
        (4, (10, 30), (11, 15), GYM, "", GYM_CLOTHES),
    ],
    (ARK, "5"): [
        (1, (13, 0), (14, 30), SWIM, "schoolzwemmen", "zwemspullen en handdoek mee"),
        (3, (10, 30), (11, 15), GYM, "", GYM_CLOTHES),
    ],
}


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("timetable")
    entries = []
    for (brin, grade), group in sorted(world.groups.items()):
        teachers = world.teachers.get((brin, grade)) or [None]
        rows = FIXED.get((brin, grade))
        if rows is None:
            first = rng.randrange(0, 3)
            hour = rng.choice([8, 10, 13])
            rows = [(day, (hour, 30), (hour + 1, 15), GYM, "", GYM_CLOTHES) for day in (first, first + 2)]
        for weekday, start, end, activity, label, reminder in rows:
            entries.append(TimetableEntry(
                group=group, weekday=weekday, starts_at=datetime.time(*start), ends_at=datetime.time(*end),
                activity=activity, label=label, reminder=reminder, created_by=teachers[0],
            ))
    TimetableEntry.objects.bulk_create(entries)


