"""The API's frame: the OpenAPI 3.1 document and the reference page (no CDN, the strict CSP), JSON
errors in the caller's language, 401 without a session or a token, CSRF on a session's changes,
ETag and 304 on GETs."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_the_openapi_document_is_3_1_and_lists_the_endpoints(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    paths = set(document["paths"])
    assert {"/api/v1/me", "/api/v1/news", "/api/v1/news/{post_id}", "/api/v1/calendar/events",
            "/api/v1/absences", "/api/v1/schools/{school_id}/absences"} <= paths
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}


def test_the_reference_page_loads_swagger_from_our_own_static_files(client, db):
    response = client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # every script and style from our own static files (no CDN); not a search for "cdn" in the page,
    # which a random token in it can spell
    loaded = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert loaded and all(url.startswith("/static/") for url in loaded), loaded
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_without_a_session_or_token_the_answer_is_401_json(client, db):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["detail"]


def test_a_wrong_token_is_401(client, db):
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer sp_nothing_at_all")
    assert response.status_code == 401


def test_errors_speak_the_callers_language(client, world):
    guardian = world.users["guardian"]
    client.force_login(guardian)
    guardian.language = "nl"
    guardian.save(update_fields=["language"])
    dutch = client.get("/api/v1/news/999999").json()["detail"]
    guardian.language = "en"
    guardian.save(update_fields=["language"])
    english = client.get("/api/v1/news/999999").json()["detail"]
    with translation.override("en"):
        assert english == translation.gettext("Not found.")
    assert english == "Not found."
    assert isinstance(dutch, str) and dutch


def test_a_sessions_change_needs_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["guardian"])
    payload = {"student_id": world.child.pk, "reason": "sick", "starts_on": "2030-01-07"}
    response = client.post("/api/v1/absences", json.dumps(payload), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"]


def test_a_get_carries_an_etag_and_answers_304_when_nothing_changed(client, world):
    client.force_login(world.users["guardian"])
    first = client.get("/api/v1/me")
    assert first.status_code == 200 and first["ETag"]
    again = client.get("/api/v1/me", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other = client.get("/api/v1/me", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


def test_an_address_under_api_that_is_nothing_answers_json_404(client, db):
    for url in ("/api/v1/", "/api/v1/nothing", "/api/v2/me"):
        response = client.get(url)
        assert response.status_code == 404 and response.json()["detail"], url


def test_a_staff_session_without_its_second_factor_gets_401_json(client, world):
    client.force_login(world.users["teacher"], second_factor=False)
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json()["detail"]


def test_every_answer_schema_has_a_name_of_its_own():
    """The OpenAPI document names each schema by its class name: two classes of one name would
    share one entry, and an app would read one endpoint's answer by the other's schema."""
    import importlib
    import pkgutil

    from ninja import Schema

    from schoolpoort.api import endpoints

    where: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(endpoints.__path__):
        module = importlib.import_module(f"{endpoints.__name__}.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                where.setdefault(name, []).append(info.name)
    assert {name: modules for name, modules in where.items() if len(modules) > 1} == {}


@pytest.mark.parametrize("since", ["0151-01-10T21:19:13.8+22:13", "1899-12-31T23:00:00Z", "9999-12-31T23:59:59-14:30"])
def test_a_moment_the_database_cannot_hold_is_a_422_that_says_why(client, world, since):
    client.force_login(world.users["guardian"])
    response = client.get("/api/v1/absences", {"since": since})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "since"


def test_a_moment_without_a_time_zone_is_read_in_the_schools(client, world):
    client.force_login(world.users["guardian"])
    assert client.get("/api/v1/absences", {"since": "2026-12-07T08:00:00"}).status_code == 200
