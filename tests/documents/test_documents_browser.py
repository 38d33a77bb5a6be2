"""Documents in a real Chromium on a 360 px phone, with the demo school: a parent finds the letter
for their family and opens the PDF; the office writes a letter to one family (htmx shows the
parents of the chosen pupil) and adds a file, after a refused one that kept the title. Skipped
when Chromium is missing (see tests/conftest.py)."""

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import CHROMIUM, REQUIRE_BROWSER, chromium_available
from tests.documents.helpers import PDF
from tests.e2e.test_foundation_flows import log_in, page_width

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not chromium_available() and not REQUIRE_BROWSER, reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture
def demo(transactional_db, demo):
    """The demo school (tests/conftest.py), in a database the live server reads."""
    return demo


def phone_as(browser, live_server, email):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    page = context.new_page()
    log_in(page, live_server.url, email)  # with the second factor for staff
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def assert_fits_the_phone(page):
    width = page_width(page)
    assert width <= 360, f"{page.url} is {width} px wide on a 360 px phone"


def test_a_parent_finds_the_family_letter_and_opens_the_pdf(demo, browser, live_server):
    page = phone_as(browser, live_server, "jansen@ouders.example")
    # Documents are one tap under Meer (the home timeline keeps what needs the parent, and news).
    page.locator(".tabbar").get_by_role("link", name=re.compile("^Meer")).click()
    assert_fits_the_phone(page)
    page.locator("main").get_by_role("link", name=re.compile("^Documenten")).first.click()
    expect(page.locator("#recent")).to_be_visible()
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Brieven over Noor Jansen").click()
    assert_fits_the_phone(page)
    page.get_by_role("link", name="Brief over extra ondersteuning Noor").first.click()
    expect(page.locator("#open-current")).to_be_visible()
    assert page.locator("#versions").count() == 0  # parents get the current version only
    assert_fits_the_phone(page)
    response = page.request.get(live_server.url + page.locator("#open-current").get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")

    shelf_page = phone_as(browser, live_server, "devries@ouders.example")
    shelf_page.goto(f"{live_server.url}/documenten/")
    expect(shelf_page.locator("main")).not_to_contain_text("Noor")


def test_the_office_writes_a_letter_to_one_family(demo, browser, live_server, tmp_path):
    page = phone_as(browser, live_server, "administratie@regenboog.example")
    page.goto(f"{live_server.url}/documenten/")
    assert_fits_the_phone(page)
    page.locator(".doc-head a.button").first.click()  # new shelf
    page.fill("input[name=title]", "Brieven over Daan Smit")
    page.locator('input[name=audience][value="guardians"]').check()
    expect(page.locator("#audience-groups")).to_be_hidden()
    page.select_option("select[name=student]", label="Daan Smit")
    checkboxes = page.locator("#guardian-choices input[name=guardianships]")
    expect(checkboxes).to_have_count(2)  # htmx brought Daan's parents
    checkboxes.first.check()
    assert_fits_the_phone(page)
    page.locator("#shelf-form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Brieven over Daan Smit")

    page.locator(".doc-actions a.button").first.click()  # add a document
    wrong = tmp_path / "brief.pdf"
    wrong.write_bytes(b"Dit is tekst, geen PDF.\n")
    page.fill("input[name=title]", "Uitnodiging gesprek")
    page.set_input_files("input[name=file]", str(wrong))
    page.locator("#upload-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_contain_text("brief.pdf")
    expect(page.locator("input[name=title]")).to_have_value("Uitnodiging gesprek")
    assert_fits_the_phone(page)
    right = tmp_path / "uitnodiging.pdf"
    right.write_bytes(PDF)
    page.set_input_files("input[name=file]", str(right))
    page.locator("#upload-form button[type=submit]").click()
    expect(page.locator(".doc-list")).to_contain_text("Uitnodiging gesprek")
    assert_fits_the_phone(page)
