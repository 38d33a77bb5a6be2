import pytest
from django.utils import translation

from tests.world import build_world


@pytest.fixture
def world(db):
    """The shared world, with every persona reading English: pages are rendered in the user's
    language, and the texts are asserted on their (English) msgids."""
    world = build_world()
    for user in world.users.values():
        if user.is_authenticated:
            user.language = "en"
            user.save(update_fields=["language"])
    return world


@pytest.fixture(autouse=True)
def english():
    """Texts are asserted in English (the msgids); Dutch may be left active on the thread."""
    with translation.override("en"):
        yield
