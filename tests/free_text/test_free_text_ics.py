"""Every free-text field survives the calendar files: the event's own .ics and the feed."""

import re

from django.urls import reverse
from hypothesis import given
from icalendar import Calendar

from schoolpoort.calendar.actions import issue_feed_token
from schoolpoort.lib.text import plain_line, plain_text
from tests.calendar.calendar_helpers import make_event
from tests.free_text.strategies import bounded, stored_text

CONTENT_LINE = re.compile(r"[A-Z][A-Z0-9-]*[;:]")


def content_lines(body: bytes) -> list[str]:
    """The unfolded content lines (RFC 5545 3.1): every one must start with a property name."""
    text = body.decode()
    assert "\r\n" in text and not re.search(r"(?<!\r)\n|\r(?!\n)", text), "lines end in CRLF, and only there"
    return text.replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def assert_no_injected_line(body: bytes):
    for line in content_lines(body):
        assert CONTENT_LINE.match(line), f"injected line: {line!r}"


@bounded
@given(title=stored_text, description=stored_text, location=stored_text)
def test_an_event_with_any_text_downloads_as_valid_ics(client, world, title, description, location):
    event = make_event(groups=[world.group3], title=title[:200], description=description, location=location[:200])
    client.force_login(world.users["guardian"])

    response = client.get(reverse("calendar:event_ics", args=[event.pk]))

    assert response.status_code == 200
    assert_no_injected_line(response.content)
    (vevent,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == plain_line(title[:200])
    assert str(vevent["DESCRIPTION"]).startswith(plain_text(description).strip())
    if plain_line(location[:200]):
        assert str(vevent["LOCATION"]) == plain_line(location[:200])


@bounded
@given(title=stored_text)
def test_the_feed_with_any_title_is_valid_ics(client, world, title):
    make_event(groups=[world.group3], title=title[:200])
    token = issue_feed_token(world.users["guardian"])

    response = client.get(reverse("calendar:feed", kwargs={"token": token}))

    assert response.status_code == 200
    assert_no_injected_line(response.content)
    summaries = {str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert plain_line(title[:200]) in summaries
