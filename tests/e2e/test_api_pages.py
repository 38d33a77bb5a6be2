"""The API's pages in a real Chromium under the strict CSP: the reference page (Swagger UI from our
own static files) renders every endpoint without a policy violation; the director of the demo school
makes a token on a 360 px phone, sees it once, and a request with it works."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.a11y import axe_problems
from tests.e2e.test_foundation_flows import signed_in_phone


@pytest.mark.django_db(transaction=True)
def test_the_reference_page_renders_the_endpoints_under_the_csp(page, live_server):
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible(timeout=15000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/absences" in path.replace("\u200b", "") for path in paths)
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_the_director_makes_a_token_on_a_phone_and_it_works(demo, browser, live_server):
    from schoolpoort.lib.demo import REGENBOOG

    school = demo.schools[REGENBOOG]
    phone = signed_in_phone(browser, live_server, "directie@regenboog.example")
    phone.goto(f"{live_server.url}/koppelingen/{school.pk}/")
    phone.fill("input[name=name]", "ParnasSys")
    phone.check("input[name=scopes][value='absences:read']")
    phone.click("#token-form button[type=submit]")
    secret = phone.input_value("#new-token-value")
    assert secret.startswith("sp_")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert axe_problems(phone) == []
    response = Client().get(f"/api/v1/schools/{school.pk}/absences", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    phone.goto(f"{live_server.url}/koppelingen/{school.pk}/")  # shown once: not again
    expect(phone.locator("#new-token-value")).to_have_count(0)
    expect(phone.locator("#token-list")).to_contain_text("ParnasSys")
