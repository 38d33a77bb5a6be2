"""The calendar in a real Chromium on a 360 px phone, against the demo school: a parent of two
children sees both groups' events, finds the month grid usable by keyboard, makes an agenda link
with its QR code, and the link serves their calendar to an agenda program (no session)."""

import re
import urllib.request

from icalendar import Calendar
from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in


def test_a_parent_sees_both_childrens_events_and_subscribes_in_their_own_agenda(demo, phone, live_server, settings):
    settings.SITE_URL = live_server.url
    log_in(phone, live_server.url, "jansen@ouders.example")
    expect(phone).to_have_url(f"{live_server.url}/")

    # The next events on the home page lead to the calendar.
    home_block = phone.locator("section.cal-home")
    expect(home_block.locator("li.cal-item").first).to_be_visible()
    phone.locator(".tabbar").get_by_role("link", name=re.compile("^Agenda")).click()  # the Agenda tab
    expect(phone).to_have_url(f"{live_server.url}/kalender/")

    main = phone.locator("main")
    expect(main).to_contain_text("Voorleesontbijt")  # groep 3, Noor
    expect(main).to_contain_text("Excursie Spoorwegmuseum")  # groep 6, Sem
    expect(main).to_contain_text("Groep 3")
    expect(main).to_contain_text("Groep 6")
    expect(main).not_to_contain_text("Excursie Philips Museum")  # De Ark's groep 5: not their child
    expect(main.locator(".cal-children a")).to_have_count(3)  # all, Noor, Sem
    assert_fits_the_phone(phone)

    # Only Sem's events.
    main.locator(".cal-children a", has_text="Sem").click()
    expect(phone).to_have_url(re.compile(r"\?kind=\d+$"))
    expect(main).to_contain_text("Excursie Spoorwegmuseum")
    expect(main).not_to_contain_text("Voorleesontbijt")

    # The month grid fits the phone and works with the keyboard alone.
    phone.goto(f"{live_server.url}/kalender/maand/")
    expect(phone.locator("table.cal-month")).to_be_visible()
    assert phone.locator("table.cal-month td").count() in (28, 35, 42)
    assert_fits_the_phone(phone)
    day_link = phone.locator("table.cal-month td:not(.cal-cell--other) a").nth(14)
    day_link.focus()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(re.compile(r"dag=\d{4}-\d{2}-\d{2}#dag$"))
    expect(phone.locator("table.cal-month a[aria-current='date']")).to_have_count(1)

    # The subscription page: make a link, see it with its QR code.
    phone.goto(f"{live_server.url}/kalender/")
    phone.locator("nav.cal-tabs a[href='/kalender/in-mijn-agenda/']").click()
    phone.locator("button[name=action][value=new]").click()
    url_field = phone.locator("#feed-url")
    expect(url_field).to_have_value(re.compile(r"/kalender/feed/[A-Za-z0-9_-]{43}\.ics$"))
    expect(phone.locator("main svg.cal-qr")).to_be_visible()
    expect(phone.locator("a[href^='webcal://']")).to_have_count(1)
    assert_fits_the_phone(phone)
    feed_url = url_field.input_value()
    assert feed_url.startswith(live_server.url)

    # An agenda program fetches the link: no cookies, just the URL.
    with urllib.request.urlopen(feed_url) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = Calendar.from_ical(response.read())
    summaries = {str(event["SUMMARY"]) for event in calendar.events}
    assert {"Gym (Groep 3)", "Excursie Spoorwegmuseum", "Informatieavond", "Herfstvakantie"} <= summaries
    assert "Excursie Philips Museum" not in summaries
    assert calendar.walk("VTIMEZONE")

    # Coming back later does not show the link again: only "make a new link".
    phone.goto(f"{live_server.url}/kalender/in-mijn-agenda/")
    expect(phone.locator("#feed-url")).to_have_count(0)
    expect(phone.locator("button[name=action][value=new]")).to_be_visible()
