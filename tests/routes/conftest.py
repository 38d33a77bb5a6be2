import pytest

from tests.routes.checked_client import HeaderCheckingClient


@pytest.fixture
def client():
    """Every route test checks the headers of each answer on the way."""
    return HeaderCheckingClient()
