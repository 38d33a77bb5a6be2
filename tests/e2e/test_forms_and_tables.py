"""Forms and tables on a 360 px phone in a real Chromium (issue 15.5): a parent reads the Score and
Norm of a method test without the page scrolling sideways, the phone number field looks like every
other field, and the director sees what parents lose before a module goes off."""

import re

from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from schoolpoort.core.models import ModuleSwitch
from tests.e2e.test_foundation_flows import assert_fits_the_phone, log_in, signed_in_phone

PHONE_WIDTH = 360


def test_a_parent_reads_score_and_norm_of_the_results_on_a_phone(demo, browser, live_server):
    noor = demo.students["Noor Jansen"]
    page = signed_in_phone(browser, live_server, "jansen@ouders.example")
    page.goto(live_server.url + reverse("results:method_tests", args=[noor.pk]))

    table = page.locator("table.results-table").first
    expect(table).to_be_visible()
    wrapper = page.locator(".table-wrap--stack").first
    expect(wrapper).to_have_attribute("role", "region")
    assert wrapper.get_attribute("aria-label")
    # Each row is a card; its Score and Norm cells say what they are and fit on the screen.
    for header in ("Score", "Norm"):
        cell = table.locator(f"tbody td[data-label='{header}']").first
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_WIDTH, (header, box)
        label = cell.evaluate("cell => getComputedStyle(cell, '::before').content")
        assert header in label
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE_WIDTH
    assert_fits_the_phone(page)


def test_the_phone_field_is_styled_like_the_other_fields(demo, browser, live_server):
    page = signed_in_phone(browser, live_server, "jansen@ouders.example")
    page.goto(live_server.url + reverse("accounts:account"))
    tel = page.locator("input[type=tel]").first
    text = page.locator("input[type=text]").first
    expect(tel).to_be_visible()
    properties = ["border-top-width", "border-top-style", "border-top-color", "border-radius", "padding-left",
                  "padding-top", "min-height", "font-size", "background-color"]
    script = "(el, names) => names.map(name => getComputedStyle(el).getPropertyValue(name))"
    assert tel.evaluate(script, properties) == text.evaluate(script, properties)
    assert tel.bounding_box()["width"] == text.bounding_box()["width"]
    assert_fits_the_phone(page)


def test_the_director_sees_what_parents_lose_before_a_module_goes_off(demo, browser, live_server):
    director = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="nl-NL").new_page()
    log_in(director, live_server.url, "directie@regenboog.example")
    director.get_by_role("link", name="Onderdelen").first.click()
    assert_fits_the_phone(director)
    director.locator("#module-albums .module-list__switch").click()
    # The confirmation: what parents lose; nothing has changed yet.
    expect(director.locator(".module-consequence")).to_contain_text(re.compile("foto|photo", re.IGNORECASE))
    assert_fits_the_phone(director)
    with scopes_disabled():
        assert ModuleSwitch.objects.filter(module="albums", enabled=True, school__name="OBS De Regenboog").exists()
    director.locator("button[name=confirm]").click()
    expect(director.locator(".messages")).to_be_visible()
    expect(director.locator("#module-albums .state--off")).to_be_visible()
    with scopes_disabled():
        assert not ModuleSwitch.objects.filter(module="albums", enabled=True, school__name="OBS De Regenboog").exists()
