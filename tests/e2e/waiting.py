"""Waiting in a page for a condition, under the product's Content Security Policy.

Playwright's ``wait_for_function`` compiles its expression with ``eval`` in the page when it has
to poll, which the CSP (``script-src 'self'``) forbids: it passed when the condition held at once
and raised ``EvalError`` on a busy machine. ``page.evaluate`` runs through the browser's debugging
protocol, which the CSP does not govern, so the tests poll with it here."""

from __future__ import annotations


def wait_until(page, expression: str, arg=None, *, seconds: float = 10) -> bool:
    """Evaluate ``expression`` (a JavaScript expression, or a function of ``arg``) every 100 ms until
    it is true or ``seconds`` have passed; says whether it became true."""
    for _attempt in range(max(1, int(seconds * 10))):
        if (page.evaluate(expression) if arg is None else page.evaluate(expression, arg)):
            return True
        page.wait_for_timeout(100)
    return False
