"""A schema-based fuzzer (schemathesis) against the WSGI app with its own openapi.json, on the demo
school's data with a parent's session and with a staff token: no answer is a server error, and every answer keeps to the
document (status codes, content type, body schema)."""

import json

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from schoolpoort.api.api import api
from tests.api.api_helpers import token_for

CHECKS = [schemathesis.checks.not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


# The document the app serves at /api/v1/openapi.json (tests/api/test_api_foundation.py reads it
# there), made without a request: the schema is read when the tests are collected, before any database.
schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema(), default=str)))
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """As Django's test client does: the app must not close the test's database connection after
    each request (the test's data lives in its open transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def callers(demo, settings):
    """The demo school's data (DEMO.md): a parent of two children and the director's token with
    every scope. Its ids are small numbers, so the fuzzer's ids often name real rows."""
    settings.API_TOKEN_RATE = "100000/m"  # the fuzzer's requests are not a system's
    from schoolpoort.api.models import SCOPES
    from schoolpoort.lib.demo import REGENBOOG

    session = Client()
    session.force_login(demo.users["jansen@ouders.example"])
    token = token_for(demo.users["directie@regenboog.example"], demo.schools[REGENBOOG], scopes=list(SCOPES)).secret
    return {
        "parent": {"cookies": {"sessionid": session.cookies["sessionid"].value}},
        "staff token": {"headers": {"Authorization": f"Bearer {token}"}},
    }


@schema.parametrize()
@hypothesis_settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_schema_break(case, callers):
    for caller in callers.values():
        response = case.call_and_validate(checks=CHECKS, **caller)
        assert response.status_code != 401  # each caller is signed in: the fuzzer reached the endpoints
