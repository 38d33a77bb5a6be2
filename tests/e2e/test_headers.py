"""The Content-Security-Policy in a real Chromium: the main pages of each role load with no
violation reported (no inline script or style, no eval — htmx included), and htmx runs with
eval switched off."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import log_in
from tests.e2e.waiting import wait_until

pytestmark = pytest.mark.browser

# Installed before any script of the page runs (through the DevTools protocol, so the page's
# policy does not apply to it): every violation the browser reports is kept for the test.
WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""

PAGES = ["web:home", "news:feed", "calendar:list", "calendar:month", "messaging:inbox", "albums:list",
         "absences:index", "documents:list", "signups:index", "classlist:index", "staff:index", "timetable:index",
         "accounts:account", "notify:list", "notify:preferences"]
ROLES = {
    "guardian": ("jansen@ouders.example", PAGES + ["records:index", "albums:consent"]),
    "teacher": ("leerkracht.groep3@regenboog.example", PAGES),
    "administration": ("administratie@regenboog.example", PAGES),
    "director": ("directie@regenboog.example", PAGES),
}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_main_pages_of_each_role_report_no_policy_violation(demo, browser, live_server, role):
    email, pages = ROLES[role]
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="nl-NL")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    log_in(page, live_server.url, email)
    expect(page).to_have_url(f"{live_server.url}/")
    visited = []
    for name in pages:
        response = page.goto(live_server.url + reverse(name))
        assert response.status == 200, name
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # reports are queued as tasks: let them arrive
        violations = page.evaluate("window.__cspViolations")
        assert violations == [], f"{name}: {violations}"
        visited.append(name)
    assert page.evaluate("window.htmx && htmx.config.allowEval === false && !htmx.config.includeIndicatorStyles")
    assert not [text for text in console if "Content Security Policy" in text or "Content-Security-Policy" in text]
    assert visited == pages
    context.close()


def test_the_watch_sees_a_violation_when_there_is_one(demo, browser, live_server):
    """The check above can fail: a style attribute added to the page is reported."""
    context = browser.new_context()
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.goto(live_server.url + reverse("accounts:login"))
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color:red\">x</div>')")
    assert wait_until(page, "window.__cspViolations.length > 0")
    assert "style-src" in page.evaluate("window.__cspViolations")[0]
    context.close()
