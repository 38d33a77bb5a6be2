import pytest

from tests.calendar.calendar_helpers import make_event
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def events(world):
    """One event for each audience the access rule tells apart."""
    return {
        "board": make_event(board=world.school.board, title="Board study day"),
        "school": make_event(school=world.school, title="Sports day"),
        "group3": make_event(groups=[world.group3], title="Gym group 3"),
        "group6": make_event(groups=[world.group6], title="Excursion group 6"),
        "sister_school": make_event(school=world.sister_school, title="Sister school party"),
        "other_school": make_event(school=world.other_school, title="Other school trip"),
        "other_board": make_event(board=world.other_school.board, title="Other board meeting"),
    }


@pytest.fixture(autouse=True)
def _empty_feed_cache():
    """The agenda feed caches built bodies in the default cache; each test starts without them."""
    from django.core.cache import caches

    caches["default"].clear()
    yield
    caches["default"].clear()
