import datetime

import pytest

from schoolpoort.notify import push, timing
from schoolpoort.notify.models import QuietHours
from tests.world import build_world


@pytest.fixture(autouse=True)
def _vapid_key_in_tmp(settings, tmp_path, monkeypatch):
    """The server's push key of the tests lives in a temporary var/ of their own."""
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()  # as settings.py makes the real one (the demo's build writes its records key there)
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    push._keys.clear()


def public_resolver(host: str, port: int) -> list[str]:
    """Name lookups of the tests: every push service host has one public address (no network)."""
    return ["142.250.179.170"]


@pytest.fixture(autouse=True)
def _push_hosts_resolve_to_public_addresses(monkeypatch):
    monkeypatch.setattr(push, "resolver", public_resolver)


@pytest.fixture
def world(db):
    return build_world()


class Clock:
    """notify's clock (``timing.now``), set by the test; Europe/Amsterdam wall time."""

    def __init__(self, monkeypatch):
        self.moment = None
        monkeypatch.setattr(timing, "now", lambda: self.moment)

    def set(self, *args) -> datetime.datetime:
        self.moment = datetime.datetime(*args, tzinfo=timing.AMSTERDAM)
        return self.moment

    def advance(self, **delta) -> datetime.datetime:
        self.moment += datetime.timedelta(**delta)
        return self.moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def never_quiet(world):
    """Quiet hours that never apply, so that push is not held whatever the real time is."""
    return QuietHours.objects.create(
        school=world.school, starts_at=datetime.time(0, 0), ends_at=datetime.time(0, 0), weekend=False
    )
