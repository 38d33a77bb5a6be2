"""Per child or per family. A per-child form has one answer per child, which every guardian of the
child sees and may change; a per-family form has one answer for the family, made by the guardian
who answered first, which the other guardians of the same children see and may change or withdraw.
An answer another guardian saved meanwhile is never overwritten unseen."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.signups import signing
from schoolpoort.signups.models import Form, Question, Response
from tests.signups.helpers import add_question, english, family, make_form, options_of, sign_up


def test_per_child_each_child_has_its_own_answer_on_the_page(client, world):
    form = make_form(world, per=Form.Per.CHILD, groups=[world.group3, world.group6])
    question = add_question(form, kind=Question.Kind.SINGLE, text="Eet mee?", options=[("Ja", None), ("Nee", None)])
    yes, no = options_of(question)
    (mother,), (noor, sem) = family(world.group3, world.group6)
    english(mother)
    client.force_login(mother)

    page = client.get(reverse("signups:form", args=[form.pk])).content.decode()
    assert f'id="child{noor.pk}"' in page and f'id="child{sem.pk}"' in page
    url = reverse("signups:respond", args=[form.pk])
    client.post(url, {"student": noor.pk, "response": "", f"child{noor.pk}-q{question.pk}": yes.pk})
    client.post(url, {"student": sem.pk, "response": "", f"child{sem.pk}-q{question.pk}": no.pk})

    answers = {r.student_id: r.answers.get().option_id for r in Response.objects.filter(form=form)}
    assert answers == {noor.pk: yes.pk, sem.pk: no.pk}
    assert set(Response.objects.filter(form=form).values_list("family_user", flat=True)) == {None}


def test_per_child_the_other_guardian_sees_and_changes_the_childs_answer(client, world):
    form = make_form(world, per=Form.Per.CHILD)
    question = add_question(form, kind=Question.Kind.SINGLE, options=[("Ja", None), ("Nee", None)])
    yes, no = options_of(question)
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    saved = sign_up(form, guardian, [yes], student=world.child)
    english(other)
    client.force_login(other)

    page = client.get(reverse("signups:form", args=[form.pk])).content.decode()
    assert f"{guardian.get_full_name()} answered on" in page
    client.post(reverse("signups:respond", args=[form.pk]),
                {"student": world.child.pk, "response": saved.pk, f"child{world.child.pk}-q{question.pk}": no.pk})
    saved.refresh_from_db()
    assert saved.responded_by == other and saved.answers.get().option == no
    assert Response.objects.filter(form=form).count() == 1


def test_the_answer_of_the_ex_partner_who_hides_is_shown_without_their_name(client, world):
    """``core.hiding``: other_guardian keeps their details from guardian; the child's answer is
    still shared (both may change it), but the hider is not named to the other guardian."""
    form = make_form(world, per=Form.Per.CHILD)
    question = add_question(form, kind=Question.Kind.SINGLE, options=[("Ja", None), ("Nee", None)])
    yes, _no = options_of(question)
    guardian, hider = world.users["guardian"], world.users["other_guardian"]
    sign_up(form, hider, [yes], student=world.child)
    english(guardian)
    client.force_login(guardian)
    page = client.get(reverse("signups:form", args=[form.pk])).content.decode()
    assert "Another parent answered on" in page and escape(hider.get_full_name()) not in page


def test_per_child_a_guardian_answers_only_for_their_own_children(client, world):
    form = make_form(world, per=Form.Per.CHILD, groups=[world.group3, world.group6])
    question = add_question(form, kind=Question.Kind.OPEN, text="Allergie?")
    client.force_login(world.users["guardian"])
    response = client.post(reverse("signups:respond", args=[form.pk]), {
        "student": world.classmate_of_other_group.pk, "response": "",
        f"child{world.classmate_of_other_group.pk}-q{question.pk}": "Noten",
    })
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_per_family_the_other_guardian_sees_the_familys_answer_and_may_withdraw_it(client, world):
    form = make_form(world)
    question = add_question(form, options=[("Heen", 4)])
    (slot,) = options_of(question)
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    saved = sign_up(form, guardian, [slot])
    english(other)
    client.force_login(other)

    page = client.get(reverse("signups:form", args=[form.pk])).content.decode()
    assert "For your family" in page and f"{guardian.get_full_name()} answered on" in page
    assert signing.current_response(form, other) == saved

    client.post(reverse("signups:withdraw", args=[form.pk]), {"response": saved.pk})
    assert not Response.objects.filter(form=form).exists()
    slot.refresh_from_db()
    assert slot.taken == 0


def test_per_family_the_second_guardian_changes_the_one_answer_instead_of_making_another(world):
    form = make_form(world)
    (there, back) = options_of(add_question(form, options=[("Heen", 4), ("Terug", 4)]))
    saved = sign_up(form, world.users["guardian"], [there])
    changed = sign_up(form, world.users["other_guardian"], [back])
    assert changed.pk == saved.pk and changed.family_user == world.users["guardian"]
    assert Response.objects.filter(form=form).count() == 1


def test_an_answer_saved_meanwhile_by_the_other_guardian_is_not_overwritten_unseen(client, world):
    form = make_form(world)
    question = add_question(form, options=[("Heen", 4), ("Terug", 4)])
    there, back = options_of(question)
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    sign_up(form, guardian, [there])  # while the other guardian's page still shows no answer

    with pytest.raises(signing.AnsweredMeanwhile):
        sign_up(form, other, [back], expected=None)

    english(other)
    client.force_login(other)
    response = client.post(reverse("signups:respond", args=[form.pk]),
                           {f"family-q{question.pk}": [back.pk], "response": ""}, follow=True)
    assert "Another parent has just answered for your family" in response.content.decode()
    assert list(Response.objects.get(form=form).answers.values_list("option_id", flat=True)) == [there.pk]


def test_families_of_other_children_have_their_own_answers(world):
    form = make_form(world)
    (slot,) = options_of(add_question(form, options=[("Heen", 4)]))
    sign_up(form, world.users["guardian"], [slot])
    (neighbour,), _children = family(world.group3)
    assert signing.current_response(form, neighbour) is None
    sign_up(form, neighbour, [slot])
    assert Response.objects.filter(form=form).count() == 2


def test_the_database_holds_one_answer_per_child_and_per_family(world):
    form = make_form(world, per=Form.Per.CHILD)
    Response.objects.create(form=form, student=world.child)
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(form=form, student=world.child)
    Response.objects.create(form=form, family_user=world.users["guardian"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(form=form, family_user=world.users["guardian"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(form=form)  # for no one


@pytest.mark.parametrize("school_wide", [False, True])
def test_the_co_guardians_read_from_the_pages_children_are_the_audiences_own(world, school_wide):
    """The form page asks for the co-guardians of the children it has read already (an index look-up);
    the answer must equal the audience's own: a guardian kept from class pages only on a school-wide
    form, never a closed account, never the parent of another family."""
    from schoolpoort.signups.audience import children_of, co_guardian_ids
    from tests.factories import GuardianshipFactory, UserFactory

    form = make_form(world, school=world.school) if school_wide else make_form(world, groups=[world.group3])
    (mother, father), (child,) = family(world.group3, guardians=2)
    kept_away = GuardianshipFactory(student=child, user=UserFactory(), sees_class_pages=False).user
    closed = GuardianshipFactory(student=child, user=UserFactory(is_active=False)).user
    (other_family,), _children = family(world.group3)
    for user in (mother, father, kept_away):
        child_ids = [child.pk for child in children_of(user, form)]
        expected = co_guardian_ids(user, form)
        assert co_guardian_ids(user, form, child_ids) == expected
        assert closed.pk not in expected and other_family.pk not in expected
        assert (kept_away.pk in expected) == school_wide or user == kept_away
