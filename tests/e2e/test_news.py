"""News in a real Chromium: a teacher posts to her group; the parents of that group get it with the
unread mark and the count on the bell; the parents of another group do not."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone

TITLE = "Gymles donderdag in de grote zaal"


def run_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)



def unread_count(page) -> int:
    badge = page.locator("header .bell .badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_teacher_posts_group_news_and_only_that_groups_parents_get_it(demo, browser, live_server):
    parent = signed_in_phone(browser, live_server, "smit@ouders.example")  # Daan, groep 3
    other_parent = signed_in_phone(browser, live_server, "devries@ouders.example")  # Lotte, groep 6
    before = unread_count(parent), unread_count(other_parent)

    teacher = signed_in_phone(browser, live_server, "leerkracht.groep3@regenboog.example")
    teacher.goto(f"{live_server.url}/nieuws/nieuw/")
    teacher.fill("input[name=title]", TITLE)
    teacher.locator(".tiptap.ProseMirror").fill("Neem gymschoenen mee. Tot donderdag!")  # the editor (lib/forms.py)
    teacher.get_by_label("Groep 3 · OBS De Regenboog").check()
    teacher.click("button[name=save]")
    expect(teacher.locator("main")).to_contain_text(TITLE)

    run_worker()  # the fan-out: in-app notifications, e-mails, pushes

    parent.goto(f"{live_server.url}/nieuws/")
    item = parent.locator(".news-item", has_text=TITLE)
    expect(item).to_be_visible()
    expect(item.locator(".badge--new")).to_have_text("Nieuw")
    assert unread_count(parent) == before[0] + 1
    assert_fits_the_phone(parent)

    item.get_by_role("link", name=TITLE).click()
    expect(parent.locator("main")).to_contain_text("gymschoenen")
    parent.goto(f"{live_server.url}/nieuws/")
    expect(parent.locator(".news-item", has_text=TITLE).locator(".badge--new")).to_have_count(0)
    assert unread_count(parent) == before[0]  # opening the post read its notification too

    other_parent.goto(f"{live_server.url}/nieuws/")
    expect(other_parent.locator("main")).not_to_contain_text(TITLE)
    assert unread_count(other_parent) == before[1]
