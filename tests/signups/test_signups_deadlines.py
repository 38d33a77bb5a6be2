"""Deadlines: until the deadline parents sign up, change and withdraw; after it the answers are
read-only — shown, never changed — in the domain and on the pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.signups import signing
from schoolpoort.signups.models import Form, Response
from tests.signups.helpers import add_question, english, family, make_form, options_of, sign_up


@pytest.fixture
def trip(world):
    form = make_form(world)
    question = add_question(form, options=[("Heen", 4), ("Terug", 4)])
    return form, question, options_of(question)


def field(question, prefix="family"):
    return f"{prefix}-q{question.pk}"


def test_before_the_deadline_a_parent_signs_up_changes_and_withdraws_on_the_page(client, world, trip):
    form, question, (there, back) = trip
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    url = reverse("signups:respond", args=[form.pk])

    response = client.post(url, {field(question): [there.pk], "response": ""})
    assert response.status_code == 302
    saved = Response.objects.get(form=form)
    assert saved.family_user == guardian and list(saved.answers.values_list("option_id", flat=True)) == [there.pk]

    page = client.get(reverse("signups:form", args=[form.pk]))
    assert "Your answer has been saved" not in page.content.decode()  # the message was shown on the redirect
    assert "You answered on" in page.content.decode() and "Withdraw my answer" in page.content.decode()

    client.post(url, {field(question): [back.pk], "response": saved.pk})
    assert list(saved.answers.values_list("option_id", flat=True)) == [back.pk]
    there.refresh_from_db()
    back.refresh_from_db()
    assert (there.taken, back.taken) == (0, 1)

    response = client.post(reverse("signups:withdraw", args=[form.pk]), {"response": saved.pk}, follow=True)
    assert "Your answer has been withdrawn." in response.content.decode()
    assert not Response.objects.filter(form=form).exists()
    back.refresh_from_db()
    assert back.taken == 0


def test_after_the_deadline_the_domain_refuses_signing_up_changing_and_withdrawing(world, trip):
    form, _question, (there, back) = trip
    guardian = world.users["guardian"]
    response = sign_up(form, guardian, [there])
    Form.objects.filter(pk=form.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=1))
    form.refresh_from_db()

    with translation.override("en"):
        with pytest.raises(signing.SignupClosed) as refused:
            sign_up(form, guardian, [back])
        assert refused.value.message == "The deadline has passed: answers can no longer be changed."
        with pytest.raises(signing.SignupClosed):
            signing.withdraw(response, guardian)
        with pytest.raises(signing.SignupClosed):
            sign_up(form, family(world.group3)[0][0], [back])
    there.refresh_from_db()
    assert there.taken == 1 and Response.objects.filter(form=form).count() == 1


def test_at_the_deadline_itself_the_form_is_closed(world, trip):
    form, *_rest = trip
    assert form.is_open(form.deadline - datetime.timedelta(seconds=1))
    assert not form.is_open(form.deadline)


def test_after_the_deadline_the_page_shows_the_answers_read_only(client, world, trip):
    form, question, (there, _back) = trip
    guardian = world.users["guardian"]
    english(guardian)
    saved = sign_up(form, guardian, [there])
    Form.objects.filter(pk=form.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    client.force_login(guardian)

    page = client.get(reverse("signups:form", args=[form.pk])).content.decode()
    assert "answers can no longer be changed" in page
    assert "Heen" in page and "You answered on" in page
    assert 'name="withdraw"' not in page and 'name="save"' not in page

    response = client.post(reverse("signups:respond", args=[form.pk]), {field(question): [_back.pk],
                                                                         "response": saved.pk})
    assert response.status_code == 200
    assert "The deadline has passed" in response.content.decode() and 'name="save"' not in response.content.decode()
    client.post(reverse("signups:withdraw", args=[form.pk]), {"response": saved.pk})
    assert Response.objects.filter(pk=saved.pk).exists()
    assert list(saved.answers.values_list("option_id", flat=True)) == [there.pk]


def test_a_draft_cannot_be_answered(client, world):
    form = make_form(world, published=False)
    (slot,) = options_of(add_question(form))
    with pytest.raises(signing.SignupClosed):
        sign_up(form, world.users["guardian"], [slot])
    client.force_login(world.users["guardian"])
    assert client.get(reverse("signups:form", args=[form.pk])).status_code == 404


def test_staff_extend_the_deadline_and_parents_can_answer_again(client, world, trip):
    form, _question, (there, _back) = trip
    Form.objects.filter(pk=form.pk).update(deadline=timezone.now() - datetime.timedelta(hours=1))
    teacher = world.users["teacher"]
    client.force_login(teacher)
    later = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("signups:edit", args=[form.pk]), {
        "title": form.title, "description": "", "deadline": later, "per": "family",
        "audience_targets": [f"group:{world.group3.pk}"],
    })
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.is_open()
    sign_up(form, world.users["guardian"], [there])


def test_a_new_deadline_must_be_in_the_future(client, world, trip):
    form, *_rest = trip
    teacher = world.users["teacher"]
    english(teacher)
    client.force_login(teacher)
    past = timezone.localtime(timezone.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("signups:edit", args=[form.pk]), {
        "title": "Nieuwe titel", "deadline": past, "per": "family", "audience_targets": [f"group:{world.group3.pk}"],
    })
    assert response.status_code == 200
    assert "Choose a deadline in the future." in response.content.decode()
    assert 'value="Nieuwe titel"' in response.content.decode()  # the input is kept
