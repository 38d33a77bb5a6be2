"""Calendar content of the demo school (DEMO.md): the government's vacations for each school's
region, school evenings and days (information evening, study day, Christmas, parents' evening,
sports), a board-wide study day, excursions, school trips, a camp and a cancelled event, at both
schools. Weekly gym is not here: the timetable holds it and the calendar shows it from there.
Dates follow the current school year; the events of groep 3 and groep 6 that the browser tests
look for are a few school days ahead of today, so the calendar never looks empty."""

from __future__ import annotations

import datetime

from django.utils import timezone

from schoolpoort.core.models import StaffMembership
from schoolpoort.core.scopes import scopes_disabled
from schoolpoort.lib.demo import ARK, REGENBOOG, DemoWorld

from .models import Event
from .recurrence import normalise_rrule
from .vacations import load_vacations, vacations

Category = Event.Category
MON, TUE, WED, THU, FRI = range(5)


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


class _Planner:
    """School days of one school: weekdays outside its vacations."""

    def __init__(self, world: DemoWorld, school):
        year = world.school_year
        self.year = year
        self.vacations = vacations(year.name, school.region)
        previous = f"{year.starts_on.year - 1}-{year.starts_on.year}"
        summer_before = [v for v in vacations(previous, school.region) if v.key == "zomervakantie"]
        summer = [v for v in self.vacations if v.key == "zomervakantie"]
        self.vacations += summer_before  # it ends in August of this school year
        self.first_school_day = (
            summer_before[0].last_day + datetime.timedelta(days=1) if summer_before
            else self.on_or_after(datetime.date(year.starts_on.year, 9, 1), MON, check=False)
        )
        self.last_school_day = (
            summer[0].first_day - datetime.timedelta(days=1) if summer
            else self.on_or_after(datetime.date(year.ends_on.year, 7, 10), FRI, check=False)
        )
        while self.last_school_day.weekday() > FRI:
            self.last_school_day -= datetime.timedelta(days=1)

    def is_free(self, day: datetime.date) -> bool:
        return day.weekday() > FRI or any(v.first_day <= day <= v.last_day for v in self.vacations)

    def on_or_after(self, day: datetime.date, weekday: int, check: bool = True) -> datetime.date:
        day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
        while check and self.is_free(day):
            day += datetime.timedelta(days=7)
        return day

    def vacation(self, key: str):
        return next((v for v in self.vacations if v.key == key), None)

    def before_vacation(self, key: str, weekday: int, fallback: datetime.date) -> datetime.date:
        """The last ``weekday`` before a vacation starts (e.g. the Thursday before Christmas)."""
        vacation = self.vacation(key)
        day = vacation.first_day - datetime.timedelta(days=1) if vacation else fallback
        day -= datetime.timedelta(days=(day.weekday() - weekday) % 7)
        return day


def _event(school=None, board=None, groups=(), created_by=None, **fields) -> Event:
    audience = Event.Audience.BOARD if board else Event.Audience.GROUPS if groups else Event.Audience.SCHOOL
    fields.setdefault("ends_on", fields["starts_on"])
    fields["all_day"] = "start_time" not in fields
    if fields.get("rrule"):
        fields["rrule"] = normalise_rrule(fields["rrule"])
    event = Event.objects.create(audience=audience, school=school, board=board, created_by=created_by, **fields)
    if groups:
        event.groups.set(groups)
    return event


def _school_events(world: DemoWorld, brin: str, plan: _Planner, author, rng) -> None:
    school = world.schools[brin]
    year = plan.year
    start = plan.first_school_day
    _event(school, created_by=author, title="Informatieavond", category=Category.PARENTS_EVENING,
           starts_on=plan.on_or_after(start + datetime.timedelta(days=7), TUE),
           start_time=_time("19:30"), end_time=_time("21:00"), location="Aula",
           description="Kennismaken met de leerkracht van uw kind en horen wat de groep dit jaar gaat doen.")
    study_day = plan.on_or_after(datetime.date(year.starts_on.year, 10, 1) + datetime.timedelta(days=rng.randrange(20)),
                                 rng.choice([MON, WED, FRI]))
    _event(school, created_by=author, title="Studiedag: alle leerlingen vrij", category=Category.STUDY_DAY,
           starts_on=study_day, description="Het team volgt een scholing. De kinderen zijn deze dag vrij.")
    _event(school, created_by=author, title="Kerstviering", category=Category.CELEBRATION,
           starts_on=plan.before_vacation("kerstvakantie", THU, datetime.date(year.starts_on.year, 12, 18)),
           start_time=_time("17:00"), end_time=_time("19:00"), location="Speelplein en school",
           description="Kerstdiner in de klas en samen zingen op het plein. Ouders zijn welkom vanaf 18.30 uur.")
    spring = plan.vacation("voorjaarsvakantie")
    ouderavond = (spring.first_day if spring else datetime.date(year.ends_on.year, 2, 14)) - datetime.timedelta(days=12)
    _event(school, created_by=author, title="Ouderavond (10-minutengesprekken)", category=Category.PARENTS_EVENING,
           starts_on=plan.on_or_after(ouderavond, TUE), start_time=_time("18:30"), end_time=_time("21:00"),
           description="Gesprekken over het rapport. U krijgt een uitnodiging om een tijd te kiezen.")
    _event(school, created_by=author, title="Koningsspelen", category=Category.SPORTS,
           starts_on=plan.before_vacation("meivakantie", FRI, datetime.date(year.ends_on.year, 4, 24)),
           start_time=_time("08:30"), end_time=_time("14:00"), location="Sportveld",
           description="Sporten en spelen met de hele school. Trek sportkleding aan!")
    today = timezone.localdate()
    photographer = _event(school, created_by=author, title="Schoolfotograaf", category=Category.OTHER,
                          starts_on=plan.on_or_after(today + datetime.timedelta(days=20), WED),
                          start_time=_time("08:30"), end_time=_time("12:00"),
                          description="Portretfoto's en groepsfoto's.")
    photographer.cancelled, photographer.sequence = True, 1
    photographer.save(update_fields=["cancelled", "sequence", "updated_at"])


@scopes_disabled()  # the demo's rows of every demo school, outside any request
def load_demo(world: DemoWorld) -> None:
    rng = world.rng_for("calendar")
    today = timezone.localdate()
    director = world.users["directie@regenboog.example"]
    board_admin = world.users["bestuur@stichting.example"]
    ark_director = (
        StaffMembership.objects.filter(school=world.schools[ARK], role=StaffMembership.Role.DIRECTOR)
        .select_related("user").first()
    )
    authors = {REGENBOOG: director, ARK: ark_director.user if ark_director else board_admin}
    plans = {brin: _Planner(world, school) for brin, school in world.schools.items()}

    for brin, school in world.schools.items():
        load_vacations(school, world.school_year.name, actor=authors[brin])
        _school_events(world, brin, plans[brin], authors[brin], rng)

    # The board: one study day for all schools.
    year = world.school_year
    board_day = plans[REGENBOOG].on_or_after(datetime.date(year.ends_on.year, 3, 10) + datetime.timedelta(
        days=rng.randrange(10)), WED)
    _event(board=world.board, created_by=board_admin, title="Studiedag van de stichting: alle scholen dicht",
           category=Category.STUDY_DAY, starts_on=board_day,
           description="Alle leerkrachten van de stichting werken samen aan het onderwijs. Alle scholen zijn dicht.")

    # Gym is no calendar event of its own: the timetable holds it (timetable/demo.py) and the
    # calendar shows it from there (lib/weekly.py), skipping the vacations.
    plan, groups = plans[REGENBOOG], world.groups
    group3, group6 = groups[REGENBOOG, "3"], groups[REGENBOOG, "6"]
    teacher3, teacher6 = world.teachers[REGENBOOG, "3"][0], world.teachers[REGENBOOG, "6"][0]
    sports_day = plan.on_or_after(max(today, plan.first_school_day) + datetime.timedelta(days=14), TUE)
    _event(world.schools[REGENBOOG], created_by=director, title="Sportdag", category=Category.SPORTS,
           starts_on=sports_day, start_time=_time("08:30"), end_time=_time("14:30"), location="Sportpark De Uithof",
           description="De hele school sport een dag lang.")
    _event(world.schools[REGENBOOG], groups=[group3], created_by=teacher3, title="Voorleesontbijt",
           category=Category.CELEBRATION, starts_on=plan.on_or_after(today + datetime.timedelta(days=3), THU),
           start_time=_time("08:15"), end_time=_time("09:00"), location="Lokaal groep 3",
           description="Neem je pyjama en een ontbijtbord mee!")
    _event(world.schools[REGENBOOG], groups=[group6], created_by=teacher6, title="Excursie Spoorwegmuseum",
           category=Category.EXCURSION, starts_on=plan.on_or_after(today + datetime.timedelta(days=9), FRI),
           start_time=_time("09:00"), end_time=_time("14:30"), location="Spoorwegmuseum, Utrecht",
           description="We gaan met de bus. Geef uw kind een lunchpakket mee.")
    trip_groups = [groups[REGENBOOG, grade] for grade in "1234"]
    _event(world.schools[REGENBOOG], groups=trip_groups, created_by=director, title="Schoolreisje groep 1 t/m 4",
           category=Category.EXCURSION,
           starts_on=plan.on_or_after(datetime.date(year.ends_on.year, 5, 20) + datetime.timedelta(
               days=rng.randrange(14)), WED),
           start_time=_time("08:30"), end_time=_time("16:00"), location="DierenPark Amersfoort")
    camp = plan.on_or_after(datetime.date(year.ends_on.year, 6, 8), WED)
    _event(world.schools[REGENBOOG], groups=[groups[REGENBOOG, "8"]], created_by=director, title="Kamp groep 8",
           category=Category.EXCURSION, starts_on=camp, ends_on=camp + datetime.timedelta(days=2),
           start_time=_time("09:00"), end_time=_time("14:00"), location="Kampeerboerderij De Hoeve, Lunteren")

    # De Ark, groep 5: an excursion (its swimming and gym are in the timetable).
    plan = plans[ARK]
    group5 = groups[ARK, "5"]
    teacher5 = world.teachers[ARK, "5"][0]
    _event(world.schools[ARK], groups=[group5], created_by=teacher5, title="Excursie Philips Museum",
           category=Category.EXCURSION, starts_on=plan.on_or_after(today + datetime.timedelta(days=11), TUE),
           start_time=_time("09:30"), end_time=_time("13:00"), location="Philips Museum, Eindhoven")
    _event(world.schools[ARK], created_by=authors[ARK], title="Sportdag", category=Category.SPORTS,
           starts_on=plan.on_or_after(datetime.date(year.ends_on.year, 6, 1) + datetime.timedelta(
               days=rng.randrange(14)), FRI),
           start_time=_time("08:45"), end_time=_time("14:00"), location="Sportpark Genneper Parken")
    _event(world.schools[ARK], groups=[groups[ARK, grade] for grade in "5678"], created_by=authors[ARK],
           title="Schoolreisje groep 5 t/m 8", category=Category.EXCURSION,
           starts_on=plan.on_or_after(datetime.date(year.ends_on.year, 5, 17), TUE),
           start_time=_time("08:30"), end_time=_time("17:00"), location="De Efteling, Kaatsheuvel")
