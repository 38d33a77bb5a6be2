"""Search and reactions in a real Chromium on a 360 px phone, by keyboard alone: Smit (groep 3)
finds groep 3's trip to Artis from the field in the top bar, then reacts to it and takes the
reaction back (htmx swaps the buttons); the teacher of groep 3 sees who reacted."""

import re

from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone


def tab_to(page, selector: str, presses: int = 60) -> None:
    """Press Tab until ``selector`` has the focus, as someone without a mouse does."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got the focus")


def test_a_parent_searches_and_reacts_by_keyboard_on_a_phone(demo, browser, live_server):
    parent = signed_in_phone(browser, live_server, "smit@ouders.example")
    tab_to(parent, ".topbar__search")  # on a phone the top bar has the search icon; the page the field
    parent.keyboard.press("Enter")
    parent.wait_for_url(re.compile(r"/zoeken/$"))
    tab_to(parent, "#search-q")
    parent.keyboard.type("artis")
    parent.keyboard.press("Enter")
    parent.wait_for_url(re.compile(r"/zoeken/\?q=artis"))
    hit = parent.locator("#search-news .search-hit", has_text="Schoolreisje naar Artis")
    expect(hit).to_be_visible()
    expect(hit.locator("mark").first).to_have_text(re.compile("artis", re.I))
    expect(parent.locator("main")).not_to_contain_text("Spoorwegmuseum")
    assert_fits_the_phone(parent)

    tab_to(parent, "#search-news .search-hit a")
    parent.keyboard.press("Enter")
    parent.wait_for_url(re.compile(r"/nieuws/\d+/"))
    thanks = parent.locator("#reactions button[data-kind=thanks]")
    expect(thanks).to_have_attribute("aria-pressed", "false")
    before = int(thanks.locator(".reaction__count").inner_text())
    tab_to(parent, "#reactions button[data-kind=thanks]")
    parent.keyboard.press("Enter")
    thanks = parent.locator("#reactions button[data-kind=thanks]")
    expect(thanks).to_have_attribute("aria-pressed", "true")
    expect(thanks.locator(".reaction__count")).to_have_text(str(before + 1))
    assert "/reageren/" not in parent.url  # htmx swapped the buttons in place
    assert_fits_the_phone(parent)
    tab_to(parent, "#reactions button[data-kind=thanks]")
    parent.keyboard.press("Space")
    expect(parent.locator("#reactions button[data-kind=thanks]")).to_have_attribute("aria-pressed", "false")

    tab_to(parent, "#reactions button[data-kind=heart]")
    parent.keyboard.press("Enter")
    expect(parent.locator("#reactions button[data-kind=heart]")).to_have_attribute("aria-pressed", "true")
    post_url = parent.url

    teacher = signed_in_phone(browser, live_server, "leerkracht.groep3@regenboog.example")
    teacher.goto(post_url)
    names = teacher.locator("#reaction-names")
    names.locator("summary").click()
    expect(names).to_contain_text("Smit")
    expect(teacher.locator("#reactions button")).to_have_count(0)
    assert_fits_the_phone(teacher)
