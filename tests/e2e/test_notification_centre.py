"""The notification centre in a real Chromium on a 360 px phone, against the demo school: a parent
finds the demo's unread items (news, messages, documents, ...), opens one through its link (it is
then read), and marks all as read."""

import re

from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in


def test_a_parent_reads_the_demos_notifications_and_marks_them_all_as_read(demo, phone, live_server):
    log_in(phone, live_server.url, "jansen@ouders.example")
    phone.goto(f"{live_server.url}/meldingen/")
    main = phone.locator("main")
    expect(main.locator("li.notification--unread").first).to_be_visible()
    expect(main).not_to_contain_text("Nog geen meldingen")
    unread = main.locator("li.notification--unread").count()
    assert unread >= 7  # news, messages, documents, sign-ups, conferences, albums, absences
    assert_fits_the_phone(phone)

    # Opening one goes to the item itself (through the access rule) and makes it read.
    first = main.locator("li.notification--unread a").first
    first.focus()
    phone.keyboard.press("Enter")
    expect(phone).not_to_have_url(re.compile(r"/meldingen/$"))
    expect(phone.locator("main h1")).to_be_visible()
    phone.goto(f"{live_server.url}/meldingen/")
    expect(main.locator("li.notification--unread")).to_have_count(unread - 1)

    main.get_by_role("button", name="Alles als gelezen markeren").click()
    expect(main.locator("li.notification--unread")).to_have_count(0)
