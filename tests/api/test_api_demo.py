"""Against the demo school (DEMO.md), without a browser: a system with a read-absences token of De
Regenboog fetches today's absences of De Regenboog and gets exactly those; a token of De Ark gets 404
for De Regenboog; a parent's session reads their own children only."""

from django.utils import timezone

from schoolpoort.absences.models import Absence
from schoolpoort.lib.demo import ARK, REGENBOOG
from tests.api.api_helpers import bearer, token_for


def test_a_system_fetches_todays_absences_of_de_regenboog_and_nothing_else(client, demo):
    regenboog, ark = demo.schools[REGENBOOG], demo.schools[ARK]
    system = token_for(demo.users["directie@regenboog.example"], regenboog, scopes=["absences:read"]).secret
    today = timezone.localdate()
    expected = sorted(Absence.objects.filter(school=regenboog).on(today).values_list("pk", flat=True))
    assert expected and Absence.objects.exclude(school=regenboog).on(today).exists()

    for url in (f"/api/v1/schools/{regenboog.pk}/absences", "/api/v1/absences"):
        response = client.get(url, {"on": today.isoformat(), "limit": 500}, **bearer(system))
        assert response.status_code == 200
        body = response.json()
        assert sorted(item["id"] for item in body["items"]) == expected and body["next_cursor"] is None
        assert {item["school_id"] for item in body["items"]} == {regenboog.pk}

    other = token_for(demo.users["bestuur@stichting.example"], ark, scopes=["absences:read"]).secret
    response = client.get(f"/api/v1/schools/{regenboog.pk}/absences", {"on": today.isoformat()}, **bearer(other))
    assert response.status_code == 404
    own = client.get("/api/v1/absences", {"on": today.isoformat()}, **bearer(other)).json()["items"]
    assert own and {item["school_id"] for item in own} == {ark.pk}

    client.force_login(demo.users["jansen@ouders.example"])
    mine = client.get("/api/v1/absences").json()["items"]
    names = {item["student"] for item in mine}
    assert names and names <= {"Noor Jansen", "Sem Jansen"}
    me = client.get("/api/v1/me").json()
    assert sorted(child["name"] for child in me["children"]) == ["Noor Jansen", "Sem Jansen"]
