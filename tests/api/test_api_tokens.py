"""Personal access tokens: stored hashed (only the prefix in clear), made only by a school admin with
a second factor, bound to one school and to their scopes, stopped by expiry and by revocation, last
use recorded, throttled per token; and the school admin's page to make, list and revoke them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from schoolpoort.api.models import ApiToken
from schoolpoort.api.tokens import TokenRefused, authenticate, create_token, digest, revoke_token
from schoolpoort.api.views import NEW_TOKEN_KEY
from tests.api.api_helpers import bearer, token_for
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_only_a_hash_and_the_prefix_are_stored(world):
    made = token_for(world.users["director"], world.school)
    row = ApiToken.objects.get(pk=made.token.pk)
    assert made.secret.startswith(row.prefix + "_")
    assert row.digest == digest(made.secret) and made.secret not in row.digest
    stored = {str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values()}
    assert made.secret not in stored


def test_a_token_needs_a_second_factor_and_a_school_admin(world):
    director = world.users["director"]
    with pytest.raises(TokenRefused):
        create_token(director, world.school, name="x", scopes=["absences:read"], days=30)
    with pytest.raises(TokenRefused):
        token_for(world.users["administration"], world.school)  # not a school admin (director or board)
    with pytest.raises(TokenRefused):
        token_for(world.users["director"], world.sister_school)  # not their school
    assert token_for(world.users["board_admin"], world.sister_school).token.school == world.sister_school


def test_a_token_stops_when_its_account_loses_the_second_factor(world, client):
    made = token_for(world.users["director"], world.school)
    assert client.get("/api/v1/me", **bearer(made.secret)).status_code == 200
    TOTPDevice.objects.filter(user=world.users["director"]).delete()
    assert client.get("/api/v1/me", **bearer(made.secret)).status_code == 401


def test_an_expired_or_revoked_token_is_refused(world, client):
    director = world.users["director"]
    made = token_for(director, world.school, days=1)
    now = timezone.now()
    assert authenticate(made.secret, now=now + datetime.timedelta(hours=23)) is not None
    assert authenticate(made.secret, now=now + datetime.timedelta(days=1, minutes=1)) is None
    assert revoke_token(made.token, director) is True
    assert revoke_token(made.token, director) is False
    assert client.get("/api/v1/me", **bearer(made.secret)).status_code == 401


def test_the_last_use_is_recorded(world, client):
    made = token_for(world.users["director"], world.school)
    assert made.token.last_used_at is None
    client.get("/api/v1/me", **bearer(made.secret))
    assert ApiToken.objects.get(pk=made.token.pk).last_used_at is not None


def test_me_with_a_token_names_the_account_and_the_token(world, client):
    made = token_for(world.users["director"], world.school, scopes=["absences:read"])
    body = client.get("/api/v1/me", **bearer(made.secret)).json()
    assert body["email"] == world.users["director"].email
    assert body["token"]["prefix"] == made.token.prefix and body["token"]["scopes"] == ["absences:read"]
    assert [school["id"] for school in body["schools"]] == [world.school.pk]


def test_a_token_without_the_scope_gets_403(world, client):
    made = token_for(world.users["director"], world.school, scopes=["absences:read"])
    assert client.get("/api/v1/news", **bearer(made.secret)).status_code == 403
    assert client.get("/api/v1/calendar/events", **bearer(made.secret)).status_code == 403
    assert client.get("/api/v1/absences", **bearer(made.secret)).status_code == 200


def test_a_token_cannot_report_a_child_absent(world, client):
    made = token_for(world.users["director"], world.school)
    response = client.post("/api/v1/absences", {"student_id": world.child.pk, "reason": "sick",
                                                "starts_on": timezone.localdate().isoformat()},
                           content_type="application/json", **bearer(made.secret))
    assert response.status_code == 403


def test_requests_are_throttled_per_token(world, client, settings):
    settings.API_TOKEN_RATE = "3/m"
    first = token_for(world.users["director"], world.school)
    second = token_for(world.users["director"], world.school, name="Other system")
    answers = [client.get("/api/v1/me", **bearer(first.secret)).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    assert client.get("/api/v1/me", **bearer(second.secret)).status_code == 200


# --- The school admin's page -------------------------------------------------------------------


def test_the_director_makes_a_token_and_sees_it_once(world, client):
    director = world.users["director"]
    token_for(director, world.school, name="Earlier")  # gives the director a second factor too
    client.force_login(director)
    url = reverse("apitokens:list", args=[world.school.pk])
    response = client.post(url, {"name": "ParnasSys", "scopes": ["absences:read"], "days": "90"})
    assert response.status_code == 302
    made = ApiToken.objects.get(name="ParnasSys")
    shown = client.get(url)
    secret = shown.context["created"].secret
    assert secret in shown.content.decode() and authenticate(secret).pk == made.pk
    assert NEW_TOKEN_KEY not in client.session
    again = client.get(url).content.decode()
    assert secret not in again and made.prefix in again and "Earlier" in again


def test_without_a_second_factor_the_page_makes_no_token(world, client):
    client.force_login(world.users["director"])
    url = reverse("apitokens:list", args=[world.school.pk])
    response = client.post(url, {"name": "ParnasSys", "scopes": ["absences:read"], "days": "90"})
    assert response.status_code == 200 and 'id="needs-factor"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoking_from_the_page_stops_the_token(world, client):
    made = token_for(world.users["director"], world.school)
    client.force_login(world.users["board_admin"])
    response = client.post(reverse("apitokens:revoke", args=[world.school.pk, made.token.pk]))
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=made.token.pk).revoked_by == world.users["board_admin"]
    client.logout()
    assert client.get("/api/v1/me", **bearer(made.secret)).status_code == 401


def test_a_token_of_another_school_cannot_be_revoked_through_this_one(world, client):
    made = token_for(world.users["board_admin"], world.sister_school)
    client.force_login(world.users["director"])
    assert client.post(reverse("apitokens:revoke", args=[world.school.pk, made.token.pk])).status_code == 404
    assert client.post(reverse("apitokens:revoke", args=[world.sister_school.pk, made.token.pk])).status_code == 404
    assert ApiToken.objects.get(pk=made.token.pk).revoked_at is None
