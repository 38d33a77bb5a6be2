"""The headers every page carries (lib/headers.py, django-csp in settings)."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory


@pytest.fixture
def parent(db):
    return UserFactory()


def test_a_signed_in_page_is_never_cached_and_carries_the_policies(client, parent):
    client.force_login(parent)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Expires" not in response
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert "unsafe" not in policy
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_htmx_runs_without_eval_and_without_its_inline_style(client, parent):
    client.force_login(parent)
    html = client.get(reverse("web:home")).content.decode()
    assert '<meta name="htmx-config" content=\'{"allowEval": false, "includeIndicatorStyles": false}\'>' in html


def test_a_page_for_everyone_carries_the_policy_too(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_an_anonymous_public_page_may_be_cached_but_a_signed_in_one_may_not(client, parent):
    url = reverse("web:manifest")
    assert "no-store" not in client.get(url)["Cache-Control"]
    client.force_login(parent)
    assert client.get(url)["Cache-Control"] == "private, no-store"


def test_static_files_keep_their_caching_for_a_signed_in_user(client, parent):
    client.force_login(parent)
    response = client.get("/static/web/schoolpoort.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


def test_hsts_includes_subdomains_and_is_sent_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("accounts:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
