"""The pages staff and parents use: making a form with its questions and places, publishing it to
its audience (notified), the list of forms, a failed form that keeps what was typed, the clear
"full" message on the page, and the home page block."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.notify.models import Broadcast
from schoolpoort.signups.models import Form, Option, Question, Response
from tests.signups.helpers import add_question, english, family, make_form, options_of, sign_up


def later(days=3) -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def test_a_teacher_makes_a_volunteer_form_adds_slots_and_publishes_it_to_the_group(client, world):
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)

    response = client.post(reverse("signups:create"), {
        "title": "Rijden naar de kinderboerderij", "description": "Wie rijdt?", "deadline": later(),
        "per": "family", "audience_targets": [f"group:{world.group3.pk}"],
    })
    form = Form.objects.get()
    assert response["Location"] == reverse("signups:add_question", args=[form.pk])
    assert form.created_by == teacher and not form.published and list(form.groups.all()) == [world.group3]

    client.post(reverse("signups:add_question", args=[form.pk]), {
        "kind": "slots", "text": "Wanneer kunt u rijden?", "places": "4", "required": "on",
        "options": "Heen, 12 juni\nTerug, 12 juni | 3\n",
    })
    question = Question.objects.get(form=form)
    assert [(o.label, o.capacity) for o in options_of(question)] == [("Heen, 12 juni", 4), ("Terug, 12 juni", 3)]

    client.force_login(world.users["guardian"])
    assert client.get(form.get_absolute_url()).status_code == 404  # a draft

    client.force_login(teacher)
    response = client.post(reverse("signups:publish", args=[form.pk]), follow=True)
    assert "The form has been published; 2 parents get a notification." in response.content.decode()
    form.refresh_from_db()
    assert form.published
    (broadcast,) = Broadcast.objects.filter(event="signups.published")
    assert sorted(broadcast.recipient_ids) == sorted([world.users["guardian"].pk, world.users["other_guardian"].pk])
    assert broadcast.key == f"signups.form:{form.pk}" and broadcast.title == "Rijden naar de kinderboerderij"

    client.force_login(world.users["guardian"])
    page = client.get(form.get_absolute_url())
    assert page.status_code == 200 and "Heen, 12 juni" in page.content.decode()


def test_a_form_without_questions_cannot_be_published(client, world):
    form = make_form(world, published=False)
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    response = client.post(reverse("signups:publish", args=[form.pk]), follow=True)
    assert "Add a question first." in response.content.decode()
    form.refresh_from_db()
    assert not form.published and not Broadcast.objects.exists()


def test_a_failed_question_keeps_what_was_typed(client, world):
    form = make_form(world, published=False)
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    response = client.post(reverse("signups:add_question", args=[form.pk]), {
        "kind": "slots", "text": "Wanneer kunt u rijden?", "options": "Heen\nTerug",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the number of places per slot, or one after each line." in page
    assert 'value="Wanneer kunt u rijden?"' in page and "Heen\nTerug</textarea>" in page
    assert not Question.objects.exists()


def test_questions_are_locked_once_parents_answered_but_places_can_change(client, world):
    form = make_form(world)
    question = add_question(form, options=[("Heen", 2)])
    (slot,) = options_of(question)
    sign_up(form, world.users["guardian"], [slot])
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])

    response = client.get(reverse("signups:edit_question", args=[form.pk, question.pk]), follow=True)
    assert "the questions can no longer be changed" in response.content.decode()
    client.post(reverse("signups:delete_question", args=[form.pk, question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()

    client.post(reverse("signups:capacity", args=[form.pk, slot.pk]), {f"o{slot.pk}-capacity": "5"})
    slot.refresh_from_db()
    assert slot.capacity == 5
    response = client.post(reverse("signups:capacity", args=[form.pk, slot.pk]), {f"o{slot.pk}-capacity": "0"},
                           follow=True)
    assert "Give a number of places from 1 to 999." in response.content.decode()


def test_the_page_says_clearly_when_a_slot_just_filled_and_keeps_the_other_answers(client, world):
    form = make_form(world)
    slots = add_question(form, options=[("Heen", 1), ("Terug", 2)])
    remark = add_question(form, kind=Question.Kind.OPEN, text="Opmerking")
    there, back = options_of(slots)
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    page = client.get(form.get_absolute_url())  # the parent sees a free place...
    assert "1 of 1 place free" in page.content.decode()
    sign_up(form, family(world.group3)[0][0], [there])  # ...which someone else takes meanwhile

    response = client.post(reverse("signups:respond", args=[form.pk]), {
        f"family-q{slots.pk}": [there.pk], f"family-q{remark.pk}": "Ik heb een grote auto", "response": "",
    })

    assert response.status_code == 200
    page = response.content.decode()
    assert "Sorry, “Heen” is full: other parents were just before you. Still free: “Terug” (2 places)." in page
    assert "Ik heb een grote auto</textarea>" in page
    assert f'value="{there.pk}" id="id_family-q{slots.pk}_{there.pk}" disabled' in page
    assert not Response.objects.filter(form=form, family_user=guardian).exists()


def test_the_domain_message_names_what_is_still_free_when_the_page_lost_the_race(client, world, monkeypatch):
    """The form checked the places, then another parent took the last one before the save."""
    from schoolpoort.signups import forms as signup_forms

    form = make_form(world)
    slots = add_question(form, options=[("Heen", 1), ("Terug", 2)])
    there, _back = options_of(slots)
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    original_clean = signup_forms.ResponseForm.clean

    def clean_then_lose(self):
        data = original_clean(self)
        Option.objects.filter(pk=there.pk).update(taken=1)  # another parent's place
        return data

    monkeypatch.setattr(signup_forms.ResponseForm, "clean", clean_then_lose)
    response = client.post(reverse("signups:respond", args=[form.pk]),
                           {f"family-q{slots.pk}": [there.pk], "response": ""})
    page = response.content.decode()
    assert "Sorry, “Heen” is full: other parents were just before you. Still free: “Terug” (2 places)." in page


def test_the_list_shows_open_forms_to_answer_and_the_square(client, world):
    answered = make_form(world, title="Al beantwoord")
    (slot,) = options_of(add_question(answered))
    sign_up(answered, world.users["other_guardian"], [slot])
    make_form(world, title="Nog te doen")
    make_form(world, title="Voorbij", deadline=timezone.now() - datetime.timedelta(days=1))
    make_form(world, title="Concept", published=False)
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)

    response = client.get(reverse("signups:index"))

    assert [f.title for f in response.context["open_forms"]] == ["Al beantwoord", "Nog te doen"]
    assert [f.answered for f in response.context["open_forms"]] == [True, False]
    assert [f.title for f in response.context["closed_forms"]] == ["Voorbij"]
    assert response.context["drafts"] == [] and not response.context["can_create"]
    page = response.content.decode()
    assert "Not answered yet" in page and "Answered" in page and "School square" in page


def test_the_home_page_asks_a_parent_to_answer_open_forms(client, world):
    form = make_form(world, title="Rijden naar de kinderboerderij")
    (slot,) = options_of(add_question(form))
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    assert "Rijden naar de kinderboerderij: open until" in client.get("/").content.decode()
    sign_up(form, world.users["other_guardian"], [slot])
    assert "Rijden naar de kinderboerderij" not in client.get("/").content.decode()


@pytest.mark.parametrize("email_role", ["teacher", "director"])
def test_deleting_a_form_removes_its_answers_and_is_audited(client, world, email_role):
    from schoolpoort.core.models import AuditEntry

    form = make_form(world)
    (slot,) = options_of(add_question(form))
    sign_up(form, world.users["guardian"], [slot])
    client.force_login(world.users[email_role])
    assert client.post(reverse("signups:delete", args=[form.pk])).status_code == 302
    assert not Form.objects.exists() and not Response.objects.exists()
    assert AuditEntry.objects.get(action="signups.deleted").detail["responses"] == 1


def test_staff_see_the_open_forms_without_a_prompt_to_answer(client, world):
    make_form(world, title="Nog te doen")
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)
    response = client.get(reverse("signups:index"))
    assert [f.for_me for f in response.context["open_forms"]] == [False]
    assert "Not answered yet" not in response.content.decode() and response.context["can_create"]
