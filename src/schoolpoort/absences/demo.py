"""Absences of the demo school (DEMO.md): today a few pupils away in groep 3 and groep 6 of De
Regenboog (Noor Jansen sick since this morning: the open sickness) and one in groep 5 of De Ark, one
pupil of groep 6 marked absent by the teacher without a report, four weeks of history (most of it
confirmed by the teacher), an approved leave for Sem Jansen last month and a pending holiday-leave
request by elmoussaoui@ for Yasmina.

The demo sends no notifications and enqueues no tasks: the rows are made directly. Daan Smit has
nothing today, so that the browser test (and a newcomer) can report him sick."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from schoolpoort.core.models import Guardianship, Student
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import ARK, REGENBOOG, DemoWorld

from .models import Absence, AbsenceSettings, AttendanceMark, LeaveRequest
from .notifications import leave_decided, leave_requested
from .schooldays import full_school_week, school_days

SICK, DOCTOR, OTHER = Absence.Reason.SICK, Absence.Reason.DOCTOR, Absence.Reason.OTHER
ADMINISTRATION = "administratie@regenboog.example"
DIRECTOR = "directie@regenboog.example"
NOTES = {
    SICK: ["Koorts, blijft vandaag thuis.", "Buikpijn en misselijk.", "Verkouden en hoest veel.", ""],
    DOCTOR: ["Controle bij de tandarts.", "Afspraak bij de huisarts.", "Orthodontist."],
    OTHER: ["Begrafenis van opa.", "Familieomstandigheden.", ""],
}
# Statement PDF of the pending request: a one-page PDF with a line of text.
STATEMENT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
    b"endobj\n4 0 obj<</Length 75>>stream\nBT /F1 14 Tf 72 760 Td (Werkgeversverklaring seizoensgebonden werk) Tj ET"
    b"\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_default_timezone())


def _weekdays_back(today: datetime.date, weeks: int) -> list[datetime.date]:
    days, day = [], today - datetime.timedelta(days=1)
    while day >= today - datetime.timedelta(weeks=weeks):
        if day.weekday() < 5:
            days.append(day)
        day -= datetime.timedelta(days=1)
    return days


def _next_weekday(day: datetime.date) -> datetime.date:
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("absences")
    today = timezone.localdate()
    now = timezone.now()
    for school in world.schools.values():
        AbsenceSettings.objects.create(school=school)

    fixed = set(world.students.values())
    pupils = {
        key: [s for s in Student.objects.filter(enrollments__group=world.groups[key]).order_by("pk") if s not in fixed]
        for key in [(REGENBOOG, "3"), (REGENBOOG, "6"), (ARK, "5")]
    }
    guardians = {}
    for slot in Guardianship.objects.filter(user__isnull=False).order_by("pk"):
        guardians.setdefault(slot.student_id, slot.user)

    def teacher(key):
        return world.teachers[key][0]

    made: list[tuple[Absence, datetime.datetime]] = []
    taken: dict[int, set[datetime.date]] = {}

    def absence(student, key, reason, first, last, reported_at, *, times=None, confirmed=True, note=None, staff=False):
        days = {first + datetime.timedelta(days=n) for n in range(((last or first) - first).days + 1)}
        if taken.setdefault(student.pk, set()) & days:
            return None  # the demo, like the form, has no overlapping absences
        taken[student.pk] |= days
        by_staff = staff or student.pk not in guardians
        reporter = (teacher(key) if key[0] == ARK else world.users[ADMINISTRATION]) if by_staff else guardians[
            student.pk]
        confirmed_at = reported_at + datetime.timedelta(minutes=rng.randint(20, 90))
        confirmed = by_staff or (confirmed and confirmed_at <= now)
        row = Absence(
            student=student, school=student.school, reason=reason, starts_on=first, ends_on=last,
            from_time=times[0] if times else None, until_time=times[1] if times else None,
            note=rng.choice(NOTES[reason]) if note is None else note,
            source=Absence.Source.STAFF if by_staff else Absence.Source.GUARDIAN,
            reported_by=reporter,
            confirmed_by=(reporter if by_staff else teacher(key)) if confirmed else None,
            confirmed_at=min(confirmed_at, now) if confirmed else None,
        )
        made.append((row, reported_at))
        return row

    # Today. Noor Jansen's sickness is open until a parent reports her better.
    noor = world.students["Noor Jansen"]
    absence(noor, (REGENBOOG, "3"), SICK, today, None, min(now, _at(today, 7, 42)), confirmed=False,
            note="Noor heeft koorts, ze blijft thuis tot ze beter is.")
    group3, group6, ark5 = pupils[REGENBOOG, "3"], pupils[REGENBOOG, "6"], pupils[ARK, "5"]
    absence(group3[2], (REGENBOOG, "3"), DOCTOR, today, today, min(now, _at(today, 7, 55)),
            times=(datetime.time(10, 0), datetime.time(11, 30)), note="Tandarts om 10:15, daarna terug naar school.")
    absence(group6[3], (REGENBOOG, "6"), SICK, today - datetime.timedelta(days=1), today + datetime.timedelta(days=1),
            min(now, _at(today, 7, 30)) - datetime.timedelta(days=1))
    absence(group6[7], (REGENBOOG, "6"), OTHER, today, today, min(now, _at(today, 8, 5)), confirmed=False,
            note="Bruiloft van haar tante (verlof is aangevraagd).")
    absence(ark5[1], (ARK, "5"), SICK, today, today, min(now, _at(today, 7, 48)), confirmed=False)
    AttendanceMark.objects.create(student=group6[11], school=group6[11].school, date=today, marked_by=teacher(
        (REGENBOOG, "6")))

    # Four weeks of history, and some of the fixed families' children.
    for key, count in [((REGENBOOG, "3"), 9), ((REGENBOOG, "6"), 10), ((ARK, "5"), 6)]:
        for _n in range(count):
            student = rng.choice(pupils[key])
            first = rng.choice(_weekdays_back(today, 4))
            reason = rng.choices([SICK, DOCTOR, OTHER], [60, 25, 15])[0]
            last = first + datetime.timedelta(days=rng.randint(0, 2)) if reason == SICK else first
            last = min(last, today - datetime.timedelta(days=1))
            times = (datetime.time(rng.choice([9, 10, 13]), 0), datetime.time(rng.choice([11, 12, 14]), 30)) \
                if reason == DOCTOR else None
            absence(student, key, reason, first, last, _at(first, 7, rng.randint(10, 59)), times=times,
                    confirmed=rng.random() < 0.85, staff=rng.random() < 0.1)
    for name, key, reason, days_back, span in [
        ("Sem Jansen", (REGENBOOG, "6"), DOCTOR, 9, 0),
        ("Lotte de Vries", (REGENBOOG, "6"), SICK, 16, 1),
        ("Daan Smit", (REGENBOOG, "3"), SICK, 22, 2),
        ("Adam El Moussaoui", (ARK, "5"), SICK, 12, 0),
    ]:
        first = _next_weekday(today - datetime.timedelta(days=days_back))
        last = min(first + datetime.timedelta(days=span), today - datetime.timedelta(days=1))
        if last < first:
            continue
        times = (datetime.time(13, 0), datetime.time(14, 30)) if reason == DOCTOR else None
        absence(world.students[name], key, reason, first, last, _at(first, 7, 35), times=times)

    Absence.objects.bulk_create([row for row, _reported_at in made])
    for row, reported_at in made:
        Absence.objects.filter(pk=row.pk).update(created_at=reported_at)

    _leave(world, today, now)


def _leave(world: DemoWorld, today: datetime.date, now: datetime.datetime) -> None:
    # A pending holiday-leave request: a week about ten weeks ahead, with the employer's statement.
    yasmina = world.students["Yasmina El Moussaoui"]
    start, end = full_school_week(today + datetime.timedelta(weeks=10), yasmina.school.region)
    leave = LeaveRequest(
        student=yasmina, school=yasmina.school, requested_by=world.users["elmoussaoui@ouders.example"],
        kind=LeaveRequest.Kind.HOLIDAY, starts_on=start, ends_on=end,
        school_days=school_days(start, end, yasmina.school.region),
        reason="Mijn man werkt in de kassenbouw en kan in de schoolvakanties nooit vrij krijgen (zie de verklaring "
               "van zijn werkgever). We willen een week naar familie in Marokko.",
        statement_name="werkgeversverklaring.pdf", statement_type="application/pdf", statement_size=len(STATEMENT_PDF),
    )
    leave.statement.save("werkgeversverklaring.pdf", ContentFile(STATEMENT_PDF), save=False)
    leave.save()
    LeaveRequest.objects.filter(pk=leave.pk).update(created_at=now - datetime.timedelta(days=2))
    leave_requested(leave)  # the director hears of it, as the request form tells

    # Approved leave last month: the funeral of Sem's grandfather.
    sem = world.students["Sem Jansen"]
    day = _next_weekday(today - datetime.timedelta(days=30))
    approved = LeaveRequest.objects.create(
        student=sem, school=sem.school, requested_by=world.users["jansen@ouders.example"],
        kind=LeaveRequest.Kind.CIRCUMSTANCES, circumstance=LeaveRequest.Circumstance.FUNERAL,
        starts_on=day, ends_on=day, school_days=school_days(day, day, sem.school.region),
        reason="De uitvaart van opa Jansen in Groningen.", status=LeaveRequest.Status.APPROVED,
        decided_by=world.users[DIRECTOR], decided_at=_at(day, 9, 0) - datetime.timedelta(days=2),
        decision_reason="Gecondoleerd. Het verlof is toegekend.",
    )
    LeaveRequest.objects.filter(pk=approved.pk).update(created_at=_at(day, 8, 0) - datetime.timedelta(days=3))
    leave_decided(approved)  # the parent hears of the decision, as deciding tells
