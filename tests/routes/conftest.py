from tests.routes.checked_client import client  # noqa: F401  every route test checks the headers
