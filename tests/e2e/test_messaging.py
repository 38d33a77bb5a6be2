"""Messages in a real Chromium, each person in their own browser: a parent writes to the teacher of
groep 3, the teacher's open inbox shows it without reloading, the teacher answers, and the parent's
open conversation shows the answer without reloading."""

import re

from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in

SUBJECT = "Noor mist haar gymtas"
QUESTION = "Goedemorgen juf, heeft Noor haar gymtas gisteren op school laten liggen?"
ANSWER = "Ja, de gymtas hangt aan de kapstok bij de deur. Noor neemt hem vandaag mee."


def signed_in_phone(browser, live_server, email):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, live_server.url, email)
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def test_a_parent_writes_the_teacher_and_sees_the_answer_arrive_without_reloading(demo, browser, live_server):
    teacher_account = demo.users["leerkracht.groep3@regenboog.example"]
    noor = demo.students["Noor Jansen"]

    teacher = signed_in_phone(browser, live_server, teacher_account.email)
    teacher.goto(f"{live_server.url}/berichten/")
    teacher.evaluate("window.notReloaded = true")

    parent = signed_in_phone(browser, live_server, "jansen@ouders.example")
    parent.goto(f"{live_server.url}/berichten/nieuw/")
    parent.select_option("#id_recipient", value=f"teacher:{teacher_account.pk}:{noor.pk}")
    parent.fill("#id_subject", SUBJECT)
    parent.fill("#id_body", QUESTION)
    parent.click("#compose button[name=send]")
    expect(parent).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/berichten/\d+/$"))
    expect(parent.locator("#message-list")).to_contain_text(QUESTION)
    assert_fits_the_phone(parent)
    parent.evaluate("window.notReloaded = true")

    # The teacher's inbox, open all along, shows the new conversation as unread.
    row = teacher.locator(".msg-row--unread", has_text=SUBJECT)
    expect(row).to_be_visible(timeout=15_000)
    assert teacher.evaluate("window.notReloaded === true")

    row.get_by_role("link").click()
    expect(teacher.locator("#message-list")).to_contain_text(QUESTION)
    teacher.fill("#reply textarea[name=body]", ANSWER)
    teacher.click("#reply button[name=send]")
    expect(teacher.locator("#message-list")).to_contain_text(ANSWER)

    # The parent's conversation page, not reloaded, shows the answer.
    expect(parent.locator("#message-list")).to_contain_text(ANSWER, timeout=15_000)
    assert parent.evaluate("window.notReloaded === true")
    expect(parent.locator("#message-list .msg")).to_have_count(2)
