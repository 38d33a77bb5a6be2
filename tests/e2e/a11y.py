"""axe-core in the browser tests: one way to run it on a page and to read what it found.

``axe_problems(page)`` runs axe-core (the copy bundled by axe-playwright-python) on the page as it
is now and answers one readable line per failing element: page, rule, impact and CSS target. The
script is injected once per document (a second run after a resize reuses it); Playwright evaluates
it through the DevTools protocol, so the strict CSP does not stop it."""

from axe_playwright_python.base import AXE_SCRIPT

SERIOUS = ("serious", "critical")
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")
# WCAG 2.0/2.1 A and AA (what Dutch public schools must meet) and axe's best practices (landmarks,
# heading order, regions), which are moderate at most: the crawl fails on serious and critical
# ones, the data export test on every one.
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
}


def axe_problems(page, impacts=SERIOUS, label: str = "") -> list[str]:
    """One line per element that breaks a rule of ``impacts`` on the page as it is now."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate("options => axe.run(document, options).then(r => r.violations)", OPTIONS)
    where = label or page.url
    return [
        f"{where}: {violation['id']} ({violation['impact']}): {' '.join(map(str, node['target']))}"
        f" — {violation['help']}"
        for violation in violations
        if violation["impact"] in impacts
        for node in violation["nodes"]
    ]


def assert_no_axe_violations(page, impacts=ALL_IMPACTS):
    problems = axe_problems(page, impacts)
    assert not problems, "axe-core found:\n" + "\n".join(problems)


def scroll_width(page) -> int:
    """How wide the page scrolls: more than the viewport means it scrolls sideways."""
    return page.evaluate("document.scrollingElement.scrollWidth")


def settled(page):
    """Waits two animation frames: what a resize sets off (a relayout, scripts listening) is done."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
