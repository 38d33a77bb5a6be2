"""CSV imports of results from the school administration (columns: docs/results.md).

Three kinds: method tests, standardised tests (LVS) and the level bands of the standardised tests.
Each follows the pattern of ``schoolpoort.lib.csv``: ``make_plan(school, data)`` reads and validates
every row and looks up what exists in a constant number of queries (nothing is written: the dry
run); ``apply(school, data, user)`` computes the plan again inside a transaction and writes it only
when no row is bad. Rows are matched on a natural key, so the same file twice changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core import staging
from schoolpoort.core.models import AuditEntry, SchoolYear, Student
from schoolpoort.lib.csv import RowError, read_csv

from .models import (
    ALL_LEVELS,
    MOMENT_RE,
    LevelBand,
    MethodTest,
    ScoreKind,
    Source,
    StandardisedTest,
    Subject,
    level_for,
    normalise_level,
)

KINDS = {
    "method": gettext_lazy("Method tests"),
    "standardised": gettext_lazy("Standardised tests"),
    "bands": gettext_lazy("Level bands"),
}
COLUMNS = {
    "method": (["leerlingnummer", "vak", "methode", "datum", "score"], ["blok", "soort", "norm", "opmerking"]),
    "standardised": (["leerlingnummer", "toets", "moment", "datum"], ["vaardigheidsscore", "niveau"]),
    "bands": (["toets", "moment", "niveau", "vanaf"], []),
}
METHOD_FIELDS = ["score_kind", "score", "norm", "remark"]
STANDARDISED_FIELDS = ["taken_on", "ability_score", "level"]
DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y"]
SUBJECT_WORDS = {
    **{value: value for value in Subject.values},
    "technisch lezen": Subject.READING,
    "technischlezen": Subject.READING,
    "begrijpend lezen": Subject.COMPREHENSION,
    "wereldoriëntatie": Subject.WORLD,
    "wo": Subject.WORLD,
    "engels": Subject.ENGLISH,
    "rekenen-wiskunde": Subject.ARITHMETIC,
    "rekenen wiskunde": Subject.ARITHMETIC,
}
KIND_WORDS = {
    "": ScoreKind.PERCENTAGE,
    "percentage": ScoreKind.PERCENTAGE,
    "%": ScoreKind.PERCENTAGE,
    "cijfer": ScoreKind.GRADE,
    "grade": ScoreKind.GRADE,
}


class BadValue(ValueError):
    pass


def parse_date(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise BadValue(_("“%(value)s” is not a date (use dd-mm-yyyy).") % {"value": value})


def parse_number(value: str, low: Decimal | None = None, high: Decimal | None = None) -> Decimal:
    text = value.strip().replace("%", "").replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # Dutch decimal comma
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite() or (low is not None and number < low) or (high is not None and number > high):
        raise BadValue(_("%(value)s is outside %(low)s–%(high)s.") % {"value": value, "low": low, "high": high})
    return number.quantize(Decimal("0.1"))


@dataclass
class Change:
    obj: object
    changes: list[tuple[str, object, object]]  # (field, old, new)


@dataclass
class Plan:
    kind: str
    added: list = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed)


def _pupils(school, table) -> dict[str, Student]:
    numbers = {row["leerlingnummer"] for _line, row in table.rows if row.get("leerlingnummer")}
    return {
        s.sis_id: s
        for s in Student.objects.filter(school=school, sis_id__in=numbers, archived_at__isnull=True).only(
            "pk", "sis_id", "first_name", "infix", "last_name", "school_id"
        )
    }


def _pupil(pupils, row) -> Student:
    number = row["leerlingnummer"]
    if not number:
        raise BadValue(_("The pupil number (leerlingnummer) is empty."))
    if number not in pupils:
        raise BadValue(_("No current pupil with number %(number)s at this school.") % {"number": number})
    return pupils[number]


def _compare(obj, values: dict) -> list[tuple[str, object, object]]:
    return [(name, getattr(obj, name), new) for name, new in values.items() if getattr(obj, name) != new]


def plan_method_tests(school, table, user=None) -> Plan:
    plan = Plan("method", errors=list(table.errors))
    pupils = _pupils(school, table)
    existing = {
        (t.student_id, t.subject, t.method, t.block, t.taken_on): t
        for t in MethodTest.objects.filter(student__in=pupils.values())
    }
    seen: dict[tuple, int] = {}
    for line, row in table.rows:
        try:
            student = _pupil(pupils, row)
            subject = SUBJECT_WORDS.get(row["vak"].strip().lower())
            if subject is None:
                raise BadValue(
                    _("Unknown subject “%(value)s”; use one of: %(choices)s.")
                    % {"value": row["vak"], "choices": ", ".join(Subject.values)}
                )
            method = row["methode"][:80]
            if not method:
                raise BadValue(_("The method (methode) is empty."))
            kind = KIND_WORDS.get(row["soort"].strip().lower())
            if kind is None:
                message = _("Unknown kind of score “%(value)s”; use percentage or cijfer.")
                raise BadValue(message % {"value": row["soort"]})
            low, high = (Decimal(1), Decimal(10)) if kind == ScoreKind.GRADE else (Decimal(0), Decimal(100))
            values = {
                "score_kind": kind,
                "score": parse_number(row["score"], low, high),
                "norm": parse_number(row["norm"], low, high) if row["norm"] else None,
                "remark": row["opmerking"][:300],
            }
            key = (student.pk, subject, method, row["blok"][:40], parse_date(row["datum"]))
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        if key in seen:
            plan.errors.append(RowError(line, _("The same test as on line %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = line
        current = existing.get(key)
        if current is None:
            plan.added.append(
                MethodTest(
                    student=student,
                    subject=subject,
                    method=key[2],
                    block=key[3],
                    taken_on=key[4],
                    source=Source.IMPORT,
                    created_by=user,
                    **values,
                )
            )
        elif changes := _compare(current, values):
            for name, _old, new in changes:
                setattr(current, name, new)
            plan.changed.append(Change(current, changes))
        else:
            plan.unchanged += 1
    return plan


def _bands_by_key(school) -> dict[tuple[str, str], list[LevelBand]]:
    bands: dict[tuple[str, str], list[LevelBand]] = {}
    for band in LevelBand.objects.filter(school=school):
        bands.setdefault((band.test.lower(), band.moment), []).append(band)
    return bands


def plan_standardised_tests(school, table, user=None) -> Plan:
    plan = Plan("standardised", errors=list(table.errors))
    pupils = _pupils(school, table)
    bands = _bands_by_key(school)
    years = {year.name: year for year in SchoolYear.objects.all()}
    existing = {
        (t.student_id, t.test.lower(), t.moment, t.school_year_id): t
        for t in StandardisedTest.objects.filter(student__in=pupils.values())
    }
    seen: dict[tuple, int] = {}
    for line, row in table.rows:
        try:
            student = _pupil(pupils, row)
            test = row["toets"][:80]
            if not test:
                raise BadValue(_("The test (toets) is empty."))
            moment = row["moment"].strip().upper()
            if not MOMENT_RE.match(moment):
                raise BadValue(
                    _("“%(value)s” is not a moment; use B, M or E and the group, e.g. M3.") % {"value": row["moment"]}
                )
            taken_on = parse_date(row["datum"])
            score = (
                parse_number(row["vaardigheidsscore"], Decimal(-999), Decimal(9999))
                if row["vaardigheidsscore"]
                else None
            )
            level = normalise_level(row["niveau"])
            if level and level not in ALL_LEVELS:
                raise BadValue(_("Unknown level “%(value)s”; use I–V, A–E, or 1F, 2F, 1S.") % {"value": row["niveau"]})
            if not level:
                level = level_for(bands.get((test.lower(), moment), []), score)
            if score is None and not level:
                raise BadValue(_("Give an ability score (vaardigheidsscore), a level (niveau), or both."))
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        year_name = _year_name(taken_on)
        year = years.get(year_name)
        key = (student.pk, test.lower(), moment, year_name)
        if key in seen:
            plan.errors.append(RowError(line, _("The same test as on line %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = line
        values = {"taken_on": taken_on, "ability_score": score, "level": level}
        current = existing.get((student.pk, test.lower(), moment, year.pk)) if year else None
        if current is None:
            added = StandardisedTest(
                student=student, test=test, moment=moment, source=Source.IMPORT, created_by=user, **values
            )
            added.year_name = year_name  # the SchoolYear row may not exist yet: made on apply
            plan.added.append(added)
        elif changes := _compare(current, values):
            for name, _old, new in changes:
                setattr(current, name, new)
            plan.changed.append(Change(current, changes))
        else:
            plan.unchanged += 1
    return plan


def _year_name(day: datetime.date) -> str:
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def plan_bands(school, table, user=None) -> Plan:
    plan = Plan("bands", errors=list(table.errors))
    existing = {(b.test.lower(), b.moment, b.level): b for b in LevelBand.objects.filter(school=school)}
    seen: dict[tuple, int] = {}
    for line, row in table.rows:
        try:
            test = row["toets"][:80]
            moment = row["moment"].strip().upper()
            if not test or not MOMENT_RE.match(moment):
                raise BadValue(_("Give a test (toets) and a moment such as M3."))
            level = normalise_level(row["niveau"])
            if level not in ALL_LEVELS:
                raise BadValue(_("Unknown level “%(value)s”; use I–V, A–E, or 1F, 2F, 1S.") % {"value": row["niveau"]})
            lower = parse_number(row["vanaf"], Decimal(-999), Decimal(9999))
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        key = (test.lower(), moment, level)
        if key in seen:
            plan.errors.append(RowError(line, _("The same band as on line %(line)s.") % {"line": seen[key]}))
            continue
        seen[key] = line
        current = existing.get(key)
        if current is None:
            plan.added.append(LevelBand(school=school, test=test, moment=moment, level=level, lower_bound=lower))
        elif changes := _compare(current, {"lower_bound": lower}):
            current.lower_bound = lower
            plan.changed.append(Change(current, changes))
        else:
            plan.unchanged += 1
    return plan


PLANNERS = {"method": plan_method_tests, "standardised": plan_standardised_tests, "bands": plan_bands}


def make_plan(school, kind: str, data: bytes, user=None) -> Plan:
    """The dry run: what importing ``data`` would add and change, and every bad row. Writes nothing."""
    required, optional = COLUMNS[kind]
    return PLANNERS[kind](school, read_csv(data, required, optional), user)


def _values(obj) -> list:
    # Who is recorded as the author is not part of what the preview shows.
    return [
        (f.attname, str(getattr(obj, f.attname)))
        for f in obj._meta.concrete_fields
        if not f.primary_key and f.attname != "created_by_id"
    ]


def digest(plan: Plan) -> str:
    """What the preview of ``plan`` shows, as a digest: a confirmation applies only that."""
    return staging.plan_digest(
        plan.kind,
        [_values(obj) for obj in plan.added],
        [(c.obj.pk, [(name, str(old), str(new)) for name, old, new in c.changes]) for c in plan.changed],
        plan.unchanged,
        [(e.line, e.message) for e in plan.errors],
    )


def write(school, plan: Plan, user=None) -> bool:
    """Write ``plan``; nothing (False) when any row is bad. Call inside a transaction."""
    if plan.errors:
        return False
    if plan.is_empty:
        return True
    if plan.kind == "method":
        MethodTest.objects.bulk_create(plan.added)
        MethodTest.objects.bulk_update([c.obj for c in plan.changed], METHOD_FIELDS)
    elif plan.kind == "standardised":
        first_days = {test.year_name: test.taken_on for test in plan.added}
        years = {name: SchoolYear.for_date(day) for name, day in first_days.items()}  # one per year
        for test in plan.added:
            test.school_year = years[test.year_name]
        StandardisedTest.objects.bulk_create(plan.added)
        StandardisedTest.objects.bulk_update([c.obj for c in plan.changed], STANDARDISED_FIELDS)
    else:
        LevelBand.objects.bulk_create(plan.added)
        LevelBand.objects.bulk_update([c.obj for c in plan.changed], ["lower_bound"])
    AuditEntry.record(
        user, "results.import", school=school, kind=plan.kind, added=len(plan.added), changed=len(plan.changed)
    )
    return True


def apply(school, kind: str, data: bytes, user=None) -> Plan:
    """Import ``data`` at once: all rows or, when any row is bad, none."""
    with transaction.atomic():
        plan = make_plan(school, kind, data, user)
        write(school, plan, user)
        return plan
