import pytest
from django.utils import translation

from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture(autouse=True)
def english():
    """Texts are asserted in English (the msgids); Dutch may be left active on the thread."""
    with translation.override("en"):
        yield
