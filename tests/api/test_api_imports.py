"""The administration import run by a system through the same staging flow as the page: the file
is posted (201 with the plan: counts and problems), the plan can be read again, confirming with
its digest runs it; a changed plan is shown again (409), an expired preview answers 410, a file
with errors imports nothing. Only for those who administer the school; another school is 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from schoolpoort.core.models import StagedUpload, Student
from schoolpoort.imports.models import ImportRun
from tests.api.api_helpers import bearer, token_for
from tests.imports.samples import edexml, guardians_csv
from tests.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    world.token = token_for(world.users["director"], world.school, scopes=["imports:run"]).secret
    return world


def url(world, *rest):
    return "/".join([f"/api/v1/schools/{world.school.pk}/imports", *map(str, rest)])


def post_file(client, world, name, data, token=None, school=None):
    target = f"/api/v1/schools/{(school or world.school).pk}/imports"
    return client.post(target, {"files": [SimpleUploadedFile(name, data)]}, **bearer(token or world.token))


def confirm(client, world, run_id, digest, token=None):
    return client.post(url(world, run_id, "confirm"), {"confirm_digest": digest}, content_type="application/json",
                       **bearer(token or world.token))


def test_upload_plan_and_confirm_as_on_the_page(client, world):
    response = post_file(client, world, "EDEX.XML", edexml())
    assert response.status_code == 201
    plan = response.json()
    assert plan["status"] == "previewed" and plan["counts"]["added"] == 3 and plan["errors"] == []
    assert plan["can_confirm"] and plan["confirm_digest"]
    assert not Student.objects.filter(sis_id="5001").exists()  # nothing yet
    again = client.get(url(world, plan["id"]), **bearer(world.token)).json()
    assert again["confirm_digest"] == plan["confirm_digest"] and again["counts"] == plan["counts"]
    done = confirm(client, world, plan["id"], plan["confirm_digest"])
    assert done.status_code == 200 and done.json()["status"] == "applied" and done.json()["applied_at"]
    assert Student.objects.filter(school=world.school, sis_id="5001").exists()
    assert ImportRun.objects.get().created_by == world.users["director"]
    assert confirm(client, world, plan["id"], plan["confirm_digest"]).json()["status"] == "applied"  # once


def test_a_changed_plan_is_shown_again_instead_of_run(client, world):
    plan = post_file(client, world, "EDEX.XML", edexml()).json()
    response = confirm(client, world, plan["id"], "outdated")
    assert response.status_code == 409 and response.json()["detail"]
    assert response.json()["status"] == "previewed" and response.json()["confirm_digest"]
    assert not Student.objects.filter(sis_id="5001").exists()


def test_an_expired_preview_answers_410(client, world):
    plan = post_file(client, world, "EDEX.XML", edexml()).json()
    StagedUpload.objects.update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    assert client.get(url(world, plan["id"]), **bearer(world.token)).json()["status"] == "expired"
    assert confirm(client, world, plan["id"], plan["confirm_digest"]).status_code == 410
    assert not Student.objects.filter(sis_id="5001").exists()


def test_a_file_with_errors_lists_them_and_imports_nothing(client, world):
    response = post_file(client, world, "ouders.csv", guardians_csv())  # no pupils yet: every pupil unknown
    plan = response.json()
    assert response.status_code == 201 and plan["status"] == "failed" and not plan["can_confirm"]
    assert plan["errors"] and {"line", "message", "file"} <= set(plan["errors"][0])
    assert confirm(client, world, plan["id"], "anything").json()["status"] == "failed"


def test_an_empty_upload_is_422(client, world):
    response = client.post(url(world), {}, **bearer(world.token))
    assert response.status_code == 422


def test_only_the_schools_administration_and_only_with_the_scope(client, world):
    plan = post_file(client, world, "EDEX.XML", edexml()).json()
    other = token_for(world.users["board_admin_other_board"], world.other_school, scopes=["imports:run"]).secret
    assert client.get(url(world, plan["id"]), **bearer(other)).status_code == 404
    assert confirm(client, world, plan["id"], plan["confirm_digest"], token=other).status_code == 404
    assert post_file(client, world, "EDEX.XML", edexml(), token=other).status_code == 404
    reader = token_for(world.users["director"], world.school, scopes=["absences:read"]).secret
    assert client.get(url(world, plan["id"]), **bearer(reader)).status_code == 403
    for role in ("teacher", "guardian"):
        client.force_login(world.users[role])
        assert client.get(url(world, plan["id"])).status_code == 404
    client.force_login(world.users["administration"])  # a session of the school's administration may
    assert client.get(url(world, plan["id"])).status_code == 200
    assert not Student.objects.filter(sis_id="5001").exists()
