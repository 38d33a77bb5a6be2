import pytest
from django.utils import translation

from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def english_reminders():
    """The reminder texts are asserted in English; a request in an earlier test on the same worker
    may have left Dutch active on this thread."""
    with translation.override("en"):
        yield
