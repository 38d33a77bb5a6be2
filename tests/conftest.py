import os

import pytest
from django_scopes import scope, scopes_disabled

# Playwright's sync API runs an event loop in the test thread; Django must allow DB use there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session", autouse=True)
def _file_cache_of_this_worker(tmp_path_factory):
    """Without Redis the kept pages live in one file cache per machine (settings: var/cache). Each
    test process (an xdist worker) gets one of its own, and so do the processes it starts: one
    worker's clearing between its tests never empties what another worker's test has kept."""
    from copy import deepcopy

    from django.conf import settings
    from django.test import override_settings

    caches = deepcopy(settings.CACHES)
    if caches["default"]["BACKEND"] != "schoolpoort.core.file_cache.FileCache":
        yield
        return
    caches["default"]["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    previous = os.environ.get("SCHOOLPOORT_CACHE_DIR")
    os.environ["SCHOOLPOORT_CACHE_DIR"] = caches["default"]["LOCATION"]
    with override_settings(CACHES=caches):
        yield
    if previous is None:
        os.environ.pop("SCHOOLPOORT_CACHE_DIR", None)
    else:
        os.environ["SCHOOLPOORT_CACHE_DIR"] = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is for production; tests hash thousands of passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test (the demo writes some too) go to its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _scopes_disabled_in_test_code():
    """Test code makes and reads the data of every school outside any request, as pretix's tests
    do. Requests through the test client or the live server still pass ``SchoolScopeMiddleware``
    and run in the user's scope (the middleware enters a scope of its own)."""
    with scopes_disabled():
        yield


@pytest.fixture
def enforce_scopes(_scopes_disabled_in_test_code):
    """Opt out of the above: a query of a scoped model in the test's own code raises ``ScopeError``
    until the test declares a scope, as it would in a task, a command or the shell."""
    with scope():
        yield


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """TEST-ONLY SHORTCUT: ``client.force_login(user)`` stands for a user who signed in with
    password *and* second factor, so the session is marked verified (as a right code would;
    accounts/second_factor.py), whether or not the user has a device. Tests of the second factor
    itself sign in with the password (``tests/accounts/accounts_helpers.log_in``) or pass
    ``second_factor=False`` to get a session that has only passed the password."""
    from django.test import Client

    from schoolpoort.accounts import second_factor as factor

    original = Client.force_login

    def force_login(self, user, backend=None, second_factor=True):
        original(self, user, backend)
        if second_factor:
            session = self.session
            session[factor.VERIFIED_KEY] = user.pk
            session.pop(factor.PENDING_KEY, None)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _live_server_quiet_before_flush(request):
    """A browser test's database is flushed only once the live server has stopped working on it.

    Closing the pages is not enough: the server may still be answering what a page asked just
    before (a photo's thumbnail, a poll), and such a request holds table locks that the flush's
    TRUNCATE needs while it waits for one the TRUNCATE already holds: PostgreSQL breaks that
    deadlock by failing one of them, the flush included. So the phones close first (the test's
    own ``page`` is torn down before this fixture, which every browser test sets up first), and
    then the flush waits until no other connection to the test database is inside a statement
    or a transaction. Asking for the database fixture here orders its teardown after this one."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    browser = request.getfixturevalue("browser") if "browser" in request.fixturenames else None
    yield
    if browser is not None:
        for context in list(browser.contexts):
            context.close()
    _wait_until_no_other_connection_works()


def _wait_until_no_other_connection_works(timeout=15.0):
    import threading
    import time

    from django.db import connection

    deadline = time.monotonic() + timeout
    # First the live server's request threads (socketserver names them after their target): a
    # request accepted just before the page closed may not have reached the database yet.
    while time.monotonic() < deadline and any(
        "process_request_thread" in thread.name for thread in threading.enumerate() if thread.is_alive()
    ):
        time.sleep(0.05)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'"
            )
            if not cursor.fetchone()[0]:
                return
            time.sleep(0.05)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached pages live in caches: every test starts clean."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    # The database cache of the rate limits needs no clearing: its rows go with the test's
    # transaction (or the flush after a transactional test), like every other row.
    in_memory = [alias for alias in settings.CACHES if not isinstance(caches[alias], DatabaseCache)]
    for alias in in_memory:
        caches[alias].clear()
    yield
    for alias in in_memory:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _rate_windows_hold_still(monkeypatch):
    """django-ratelimit counts in windows that end at a moment set by the counted value (its
    jitter), so a window may end in the middle of a test and start the count again (a test that
    counts to four within a one-minute window met it once in a few hundred runs). Within one
    test the limits' clock stands at the test's start; the counting itself is the real one."""
    import time
    import types

    from django_ratelimit import core

    started = time.time()
    monkeypatch.setattr(core, "time", types.SimpleNamespace(time=lambda: started))


# --- The demo school (DEMO.md) ------------------------------------------------------------------

@pytest.fixture
def demo(db):
    """The demo school of DEMO.md and the ``DemoWorld`` build_demo returns: built once per test
    process and restored for each test (tests/demo_snapshot.py). In a transactional test (a browser
    test, ``django_db(transaction=True)``) it is in the database the live server reads."""
    from tests import demo_snapshot

    yield demo_snapshot.demo_school()
    demo_snapshot.after_test()


# --- Browser tests: Debian's Chromium through Playwright ----------------------------------------

CHROMIUM = os.environ.get("SCHOOLPOORT_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("SCHOOLPOORT_REQUIRE_BROWSER") == "1"


def chromium_available() -> bool:
    return os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/e2e/" in item.nodeid.replace(os.sep, "/")]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and not chromium_available():
        if REQUIRE_BROWSER:
            raise pytest.UsageError(f"Browser tests are required but Chromium is missing at {CHROMIUM}.")
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        for item in browser_items:
            item.add_marker(skip)
        config._schoolpoort_browser_skipped = len(browser_items)


def pytest_sessionfinish(session, exitstatus):
    from tests import demo_snapshot

    demo_snapshot.discard()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests import demo_snapshot

    if any(demo_snapshot.counts.values()):  # in the process that ran the tests (not xdist's controller)
        terminalreporter.write_line(demo_snapshot.summary())
    skipped = getattr(config, "_schoolpoort_browser_skipped", 0)
    if skipped:
        terminalreporter.write_line(
            f"NOTE: {skipped} browser tests were skipped: Chromium is missing at {CHROMIUM}. "
            "Install it with `apt-get install chromium` to run them.",
            yellow=True,
        )
