"""The date styles of the kernel (lib/dates.py, the ``when`` filter): one style per use, Dutch and
English, lower-case weekdays mid-sentence, "om"/"at" before the time, always Europe/Amsterdam; and
no page, e-mail or message formats a date any other way."""

import datetime
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from schoolpoort.lib import dates

SRC = Path(__file__).resolve().parents[2] / "src" / "schoolpoort"
UTC = datetime.UTC
TUESDAY = datetime.date(2026, 12, 8)
MORNING = datetime.datetime(2026, 12, 8, 9, 30, tzinfo=UTC)  # 10:30 in Amsterdam (winter time)
TODAY = datetime.date(2026, 12, 7)


def styled(value, name, language, **kwargs):
    with translation.override(language):
        return dates.style(value, name, **kwargs)


@pytest.mark.parametrize(
    ("name", "dutch", "english"),
    [
        ("short", "di 8 dec.", "Tue 8 Dec"),
        ("short_time", "di 8 dec. om 10:30", "Tue 8 Dec at 10:30"),
        ("weekday", "dinsdag 8 december", "Tuesday 8 December"),
        ("weekday_year", "dinsdag 8 december 2026", "Tuesday 8 December 2026"),
        ("weekday_time", "dinsdag 8 december om 10:30", "Tuesday 8 December at 10:30"),
        ("day", "8 december 2026", "8 December 2026"),
        ("day_time", "8 december 2026 om 10:30", "8 December 2026 at 10:30"),
        ("day_month", "8 december", "8 December"),
        ("day_month_time", "8 december om 10:30", "8 December at 10:30"),
        ("compact", "8 dec. 2026", "8 Dec 2026"),
        ("compact_time", "8 dec. 2026 om 10:30", "8 Dec 2026 at 10:30"),
        ("month", "december 2026", "December 2026"),
        ("time", "10:30", "10:30"),
        ("numeric", "8-12-2026", "08/12/2026"),
        ("sortable", "2026-12-08 10:30", "2026-12-08 10:30"),
    ],
)
def test_each_style_in_dutch_and_english(name, dutch, english):
    assert styled(MORNING, name, "nl") == dutch
    assert styled(MORNING, name, "en") == english


def test_dutch_month_abbreviations_have_a_full_stop_except_may():
    shorts = [styled(datetime.date(2026, month, 1), "day_month_short", "nl") for month in range(1, 13)]
    assert shorts == ["1 jan.", "1 feb.", "1 mrt.", "1 apr.", "1 mei", "1 jun.", "1 jul.", "1 aug.", "1 sep.",
                      "1 okt.", "1 nov.", "1 dec."]


def test_weekdays_are_lower_case_mid_sentence_and_capitalised_only_when_asked():
    for offset in range(7):
        day = TUESDAY + datetime.timedelta(days=offset)
        assert styled(day, "weekday", "nl")[0].islower()
    assert styled(TUESDAY, "weekday", "nl", start=True) == "Dinsdag 8 december"
    template = Template('{% load dates %}Tot {{ day|when:"weekday" }}. {{ day|when:"weekday"|capfirst }}.')
    with translation.override("nl"):
        assert template.render(Context({"day": TUESDAY})) == "Tot dinsdag 8 december. Dinsdag 8 december."


def test_times_are_shown_in_amsterdam_time():
    late = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=UTC)  # summer time: 00:30 the next day
    assert styled(late, "day_time", "nl") == "2 juli 2026 om 00:30"
    assert styled(datetime.time(8, 5), "time", "nl") == "08:05"


def test_long_adds_the_year_only_outside_the_current_school_year():
    assert styled(TUESDAY, "long", "nl", today=TODAY) == "dinsdag 8 december"
    assert styled(datetime.date(2027, 7, 9), "long", "nl", today=TODAY) == "vrijdag 9 juli"
    assert styled(datetime.date(2027, 9, 1), "long", "nl", today=TODAY) == "woensdag 1 september 2027"
    assert styled(datetime.date(2026, 7, 1), "long", "en", today=TODAY) == "Wednesday 1 July 2026"
    assert styled(MORNING, "long_time", "nl", today=TODAY) == "dinsdag 8 december om 10:30"


def test_relative_says_today_tomorrow_yesterday_else_long():
    assert styled(TODAY, "relative", "nl", today=TODAY) == "vandaag"
    assert styled(MORNING, "relative_time", "nl", today=TODAY) == "morgen om 10:30"
    assert styled(MORNING, "relative_time", "en", today=TODAY) == "tomorrow at 10:30"
    assert styled(datetime.date(2026, 12, 6), "relative", "nl", today=TODAY) == "gisteren"
    assert styled(datetime.date(2026, 12, 10), "relative", "nl", today=TODAY) == "donderdag 10 december"


def test_none_is_empty():
    assert dates.style(None, "day") == ""
    assert Template('{% load dates %}[{{ nothing|when:"day" }}]').render(Context({})) == "[]"


# --- No date is formatted outside the kernel ------------------------------------------------

# Machine formats for attributes, URLs and ids: ISO 8601 in <time datetime>, ?datum=2026-12-08.
MACHINE_FORMATS = {"c", "Y-m-d", "Ymd", "Y-m"}
TEMPLATE_DATE = re.compile(r"\|(date|time)\b(?::\s*(['\"])(.*?)\2)?")
PYTHON_DATE = re.compile(r"\.strftime\(|\bdate_format\(|\btime_format\(|\blocalize\(|naturaltime|naturalday")
# Python that formats a date for a machine, not a person (file names, EXIF, import parsing).
ALLOWED_PYTHON = {
    "accounts/export_views.py": "the date in the export's file name",
    "albums/demo.py": "EXIF DateTimeOriginal of the demo photos",
}


def _files(*suffixes):
    for path in sorted(SRC.rglob("*")):
        kernel = path.relative_to(SRC).as_posix() in {"lib/dates.py", "lib/templatetags/dates.py"}
        if path.suffix in suffixes and "migrations" not in path.parts and not kernel:
            yield path


def test_templates_format_dates_only_through_the_when_filter():
    found = []
    for path in _files(".html", ".txt", ".xml"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in TEMPLATE_DATE.finditer(line):
                if match.group(1) == "date" and match.group(3) in MACHINE_FORMATS:
                    continue
                found.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)}")
    assert found == [], "use {{ value|when:\"style\" }} (lib/dates.py): " + "\n".join(found)


def test_python_formats_dates_only_through_the_kernel():
    found = []
    for path in _files(".py"):
        relative = str(path.relative_to(SRC))
        if relative in ALLOWED_PYTHON:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PYTHON_DATE.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "use dates.style(value, style) (lib/dates.py): " + "\n".join(found)
