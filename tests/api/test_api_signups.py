"""Sign-ups through the API, yes and no per role: the form page's forms, answers and checks
(``ResponseForm``) and the rush-proof ``signing``: a full place answers 409 with the nearest free
places, another parent's answer saved meanwhile 409, a required question 422 at its field, a form
past its deadline 422; withdrawing frees the place; a token 403."""

import datetime
import json

import pytest
from django.utils import timezone

from schoolpoort.signups.models import Form, Option, Question, Response
from tests.api.api_helpers import bearer, token_for
from tests.signups.helpers import add_question, family, make_form, options_of, sign_up
from tests.world import build_world


@pytest.fixture
def world(db):
    world = build_world()
    world.form = make_form(world)
    world.question = add_question(world.form, options=(("Heen", 1), ("Terug", 2), ("Beide", 3)))
    world.options = options_of(world.question)
    return world


def answer(client, world, options, form=None, **fields):
    form = form or world.form
    data = {"answers": [{"question_id": world.question.pk, "option_ids": [o.pk for o in options]}], **fields}
    return client.post(f"/api/v1/signups/{form.pk}/answers", json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("role, sees", [
    ("guardian", True), ("other_guardian", True), ("guardian_other_group", False), ("guardian_other_school", False),
    ("teacher", True), ("teacher_other_group", False), ("director", True), ("board_admin_other_board", False),
])
def test_the_forms_follow_the_pages_rule(client, world, role, sees):
    client.force_login(world.users[role])
    listed = client.get("/api/v1/signups")
    found = [f["id"] for f in listed.json()] if listed.status_code == 200 else []
    assert (world.form.pk in found) is sees
    assert client.get(f"/api/v1/signups/{world.form.pk}").status_code == (200 if sees else 404)
    parent = role in ("guardian", "other_guardian")
    assert client.get(f"/api/v1/signups/{world.form.pk}/answers").status_code == (200 if parent else 404)
    assert answer(client, world, [world.options[1]]).status_code == (201 if parent else 404)


def test_a_parent_signs_up_and_the_other_parent_sees_the_familys_answer(client, world):
    client.force_login(world.users["guardian"])
    form = client.get(f"/api/v1/signups/{world.form.pk}").json()
    assert [o["id"] for o in form["questions"][0]["options"]] == [o.pk for o in world.options]
    response = answer(client, world, [world.options[1]])
    assert response.status_code == 201
    body = response.json()
    assert body["answers"] == [{"question_id": world.question.pk, "option_ids": [world.options[1].pk], "text": ""}]
    assert Option.objects.get(pk=world.options[1].pk).taken == 1
    assert client.get("/api/v1/signups").json()[0]["answered"] is True
    client.force_login(world.users["other_guardian"])
    sections = client.get(f"/api/v1/signups/{world.form.pk}/answers").json()
    assert sections[0]["response_id"] == body["response_id"] and sections[0]["answered_by_me"] is False
    # Changing it without having seen it is refused: no answer overwritten unseen.
    refused = answer(client, world, [world.options[2]])
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"
    changed = answer(client, world, [world.options[2]], expected_response_id=body["response_id"])
    assert changed.status_code == 201 and changed.json()["answered_by_me"] is True


def test_a_full_place_answers_409_with_the_nearest_free_places(client, world):
    (other,), _children = family(world.group3)
    sign_up(world.form, other, [world.options[0]])
    client.force_login(world.users["guardian"])
    response = answer(client, world, [world.options[0]])
    assert response.status_code == 422  # the page's form says so first, at its question
    assert response.json()["detail"][0]["loc"] == ["body", f"q{world.question.pk}"]
    assert not Response.objects.filter(family_user=world.users["guardian"]).exists()


def test_a_place_taken_between_the_check_and_the_save_answers_409(client, world, monkeypatch):
    from schoolpoort.signups import forms

    (other,), _children = family(world.group3)
    monkeypatch.setattr(forms.ResponseForm, "clean", lambda self: self.cleaned_data)  # the check passed just before
    sign_up(world.form, other, [world.options[0]])
    client.force_login(world.users["guardian"])
    response = answer(client, world, [world.options[0]])
    assert response.status_code == 409 and response.json()["code"] == "full"
    assert [o["id"] for o in response.json()["alternatives"]] == [world.options[1].pk, world.options[2].pk]


def test_a_required_question_and_the_deadline_answer_422(client, world):
    open_question = add_question(world.form, kind=Question.Kind.OPEN, text="Opmerking", options=(), required=True)
    client.force_login(world.users["guardian"])
    response = answer(client, world, [world.options[1]])
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", f"q{open_question.pk}"]
    Form.objects.filter(pk=world.form.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    closed = answer(client, world, [world.options[1]])
    assert closed.status_code == 422 and closed.json()["detail"][0]["type"] == "closed"


def test_per_child_forms_take_the_childs_id_and_another_child_is_404(client, world):
    form = make_form(world, per=Form.Per.CHILD, title="Per kind")
    question = add_question(form, options=(("Ja", None),))
    client.force_login(world.users["guardian"])
    data = {"answers": [{"question_id": question.pk, "option_ids": [options_of(question)[0].pk]}]}
    url = f"/api/v1/signups/{form.pk}/answers"
    assert client.post(url, json.dumps(data), content_type="application/json").status_code == 404  # no child named
    other = {**data, "student_id": world.classmate_of_other_group.pk}
    assert client.post(url, json.dumps(other), content_type="application/json").status_code == 404
    mine = {**data, "student_id": world.child.pk}
    response = client.post(url, json.dumps(mine), content_type="application/json")
    assert response.status_code == 201 and response.json()["student_id"] == world.child.pk


def test_a_parent_withdraws_and_the_place_comes_free_others_cannot(client, world):
    response = sign_up(world.form, world.users["guardian"], [world.options[0]])
    url = f"/api/v1/signups/{world.form.pk}/answers/{response.pk}"
    for role in ("guardian_other_group", "teacher", "director"):
        client.force_login(world.users[role])
        assert client.delete(url).status_code == 404, role
    client.force_login(world.users["guardian"])
    assert client.delete(url).status_code == 204
    assert not Response.objects.exists() and Option.objects.get(pk=world.options[0].pk).taken == 0
    assert client.delete(url).status_code == 404


def test_a_token_gets_403(client, world):
    headers = bearer(token_for(world.users["director"], world.school).secret)
    assert client.get("/api/v1/signups", **headers).status_code == 403
    assert client.get(f"/api/v1/signups/{world.form.pk}", **headers).status_code == 403


def test_the_forms_cost_the_same_queries_for_2_or_10(client, world, django_assert_max_num_queries):
    client.force_login(world.users["guardian"])
    counts = []
    for round_ in range(2):
        with django_assert_max_num_queries(25) as captured:
            assert len(client.get("/api/v1/signups").json()) == (1 if round_ == 0 else 9)
            assert client.get(f"/api/v1/signups/{world.form.pk}").status_code == 200
        counts.append(len(captured.captured_queries))
        if round_ == 0:
            for n in range(8):
                make_form(world, title=f"Formulier {n}")
            for n in range(8):
                add_question(world.form, text=f"Vraag {n}", options=(("A", 1), ("B", 2)))
    assert counts[1] <= counts[0], counts


@pytest.fixture
def second_form(world):
    return make_form(world, title="Tweede")


def test_the_list_holds_two_forms(client, world, second_form):
    client.force_login(world.users["guardian"])
    assert [f["id"] for f in client.get("/api/v1/signups").json()] == [world.form.pk, second_form.pk]
