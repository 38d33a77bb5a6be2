import pytest

from tests.conftest import CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's own browser download cannot work here; Debian's Chromium does.
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def demo(transactional_db, demo):
    """The demo school of DEMO.md (tests/conftest.py), in a database the live server reads."""
    return demo


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 360, "height": 740})
    return page
