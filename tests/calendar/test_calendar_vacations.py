"""The government's school vacations: the data file, and loading it into a school's calendar
for the school's region (from the staff page and with ``load_vacations``), idempotently."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from schoolpoort.calendar import vacations
from schoolpoort.calendar.models import Event
from schoolpoort.core.models import School

YEARS = ["2025-2026", "2026-2027", "2027-2028"]
REGIONS = ["noord", "midden", "zuid"]
KEYS = ["herfstvakantie", "kerstvakantie", "voorjaarsvakantie", "meivakantie", "zomervakantie"]
DAYS = {"herfstvakantie": 9, "voorjaarsvakantie": 9, "meivakantie": 9, "zomervakantie": 44}


def test_the_data_file_cites_its_source_and_covers_three_years_and_every_region():
    data = json.loads(vacations.DATA_FILE.read_text())
    assert "rijksoverheid.nl" in data["source"]
    assert vacations.school_years() == YEARS
    assert data["regions"] == REGIONS
    for year in YEARS:
        assert [row["key"] for row in data["school_years"][year]] == KEYS
        for region in REGIONS:
            assert len(vacations.vacations(year, region)) == 5


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("region", REGIONS)
def test_every_vacation_runs_from_saturday_to_sunday_within_its_school_year(year, region):
    first_year = int(year[:4])
    for vacation in vacations.vacations(year, region):
        assert vacation.first_day.weekday() == 5 and vacation.last_day.weekday() == 6, vacation
        length = (vacation.last_day - vacation.first_day).days + 1
        assert length == DAYS.get(vacation.key, length), vacation
        assert datetime.date(first_year, 8, 1) <= vacation.first_day <= datetime.date(first_year + 1, 7, 31)
    kerst = next(v for v in vacations.vacations(year, region) if v.key == "kerstvakantie")
    assert kerst.first_day.month == 12 and kerst.last_day.month == 1 and (kerst.last_day - kerst.first_day).days == 15


@pytest.mark.parametrize("year", YEARS)
def test_christmas_and_may_are_the_same_everywhere_and_summer_is_spread(year):
    def dates(key):
        return {region: next((v.first_day, v.last_day) for v in vacations.vacations(year, region) if v.key == key)
                for region in REGIONS}

    assert len(set(dates("kerstvakantie").values())) == 1
    assert len(set(dates("meivakantie").values())) == 1
    summers = sorted(start for start, _end in dates("zomervakantie").values())
    assert [(b - a).days for a, b in zip(summers, summers[1:], strict=False)] == [7, 7]


def test_the_published_dates_of_2026_2027():
    def period(region, key):
        vacation = next(v for v in vacations.vacations("2026-2027", region) if v.key == key)
        return vacation.first_day.isoformat(), vacation.last_day.isoformat()

    assert period("noord", "herfstvakantie") == ("2026-10-10", "2026-10-18")
    assert period("midden", "herfstvakantie") == period("zuid", "herfstvakantie") == ("2026-10-17", "2026-10-25")
    assert period("zuid", "kerstvakantie") == ("2026-12-19", "2027-01-03")
    assert period("zuid", "voorjaarsvakantie") == ("2027-02-13", "2027-02-21")
    assert period("midden", "meivakantie") == ("2027-04-24", "2027-05-02")
    assert period("midden", "zomervakantie") == ("2027-07-17", "2027-08-29")


def test_loading_uses_the_schools_region_and_adds_nothing_the_second_time(world):
    school = world.school
    school.region = School.Region.SOUTH
    school.save()
    added = vacations.load_vacations(school, "2026-2027")
    assert [(e.title, e.starts_on, e.ends_on) for e in added] == [
        ("Herfstvakantie", datetime.date(2026, 10, 17), datetime.date(2026, 10, 25)),
        ("Kerstvakantie", datetime.date(2026, 12, 19), datetime.date(2027, 1, 3)),
        ("Voorjaarsvakantie", datetime.date(2027, 2, 13), datetime.date(2027, 2, 21)),
        ("Meivakantie", datetime.date(2027, 4, 24), datetime.date(2027, 5, 2)),
        ("Zomervakantie", datetime.date(2027, 7, 24), datetime.date(2027, 9, 5)),
    ]
    assert all(e.all_day and e.category == "vacation" and e.audience == "school" and e.school == school
               for e in added)
    assert vacations.load_vacations(school, "2026-2027") == []
    assert Event.objects.filter(school=school).count() == 5


def test_a_vacation_the_school_changed_or_cancelled_is_left_alone(world):
    (autumn, *_rest) = vacations.load_vacations(world.school, "2026-2027")
    autumn.title = "Herfstvakantie (een week later)"
    autumn.cancelled = True
    autumn.save()
    assert vacations.load_vacations(world.school, "2026-2027") == []
    autumn.refresh_from_db()
    assert autumn.title == "Herfstvakantie (een week later)"


def test_the_command_loads_once(world):
    out = io.StringIO()
    call_command("load_vacations", world.school.brin, "--year", "2027-2028", stdout=out)
    assert "5 vacation(s) added" in out.getvalue() and "2027-10-16" in out.getvalue()
    out = io.StringIO()
    call_command("load_vacations", world.school.brin.lower(), "--year", "2027-2028", stdout=out)
    assert "0 vacation(s) added" in out.getvalue()
    assert Event.objects.filter(school=world.school, category="vacation").count() == 5


def test_the_command_says_what_is_wrong(world):
    with pytest.raises(CommandError, match="No school"):
        call_command("load_vacations", "00XX")
    with pytest.raises(CommandError, match="known: 2025-2026"):
        call_command("load_vacations", world.school.brin, "--year", "1999-2000")


@pytest.mark.parametrize("role, status", [
    ("administration", 302), ("director", 302), ("board_admin", 302),
    ("teacher", 404), ("guardian", 404), ("board_admin_other_board", 404),
])
def test_the_staff_button_loads_the_vacations_for_those_who_administer_the_school(client, world, role, status):
    client.force_login(world.users[role])
    url = reverse("calendar:load_vacations", args=[world.school.pk])
    assert client.post(url, {"school_year": "2026-2027"}).status_code == status
    assert Event.objects.filter(school=world.school).count() == (5 if status == 302 else 0)
    client.post(url, {"school_year": "2026-2027"})
    assert Event.objects.filter(school=world.school).count() == (5 if status == 302 else 0)


def test_the_button_is_on_the_calendar_page_of_the_administration_only(client, world):
    url = reverse("calendar:load_vacations", args=[world.school.pk])
    client.force_login(world.users["administration"])
    assert url in client.get(reverse("calendar:list")).content.decode()
    client.force_login(world.users["teacher"])
    assert url not in client.get(reverse("calendar:list")).content.decode()


def test_a_year_without_data_is_explained_not_loaded(client, world):
    client.force_login(world.users["director"])
    response = client.post(reverse("calendar:load_vacations", args=[world.school.pk]), {"school_year": "1999-2000"},
                           follow=True)
    assert "1999-2000" in response.content.decode()
    assert not Event.objects.exists()
