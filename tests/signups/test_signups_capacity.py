"""Places: a slot takes as many parents as it has places and then says clearly that it is full and
what is still free; a parent keeps a place they have when they change other answers; the database
itself refuses more than the capacity, so even a bug elsewhere cannot overbook."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation

from schoolpoort.signups import signing
from schoolpoort.signups.models import Answer, Form, Option, Question, Response
from tests.signups.helpers import add_question, family, make_form, options_of, sign_up


@pytest.fixture
def slots(world):
    form = make_form(world)
    question = add_question(form, options=[("Heen", 2), ("Terug", 2), ("Lopend mee", None)])
    return form, options_of(question)


def parent(world):
    return family(world.group3)[0][0]


def test_a_slot_takes_as_many_parents_as_it_has_places_then_names_what_is_still_free(world, slots):
    form, (there, back, walking) = slots
    sign_up(form, parent(world), [there])
    sign_up(form, parent(world), [there, back])

    with translation.override("en"), pytest.raises(signing.OptionFull) as refused:
        sign_up(form, parent(world), [there])

    assert refused.value.message == (
        "Sorry, “Heen” is full: other parents were just before you. Still free: “Terug” (1 place), “Lopend mee”."
    )
    assert refused.value.code == "full"
    assert [o.pk for o in refused.value.free_options] == [back.pk, walking.pk]
    there.refresh_from_db()
    assert there.taken == 2 and Answer.objects.filter(option=there).count() == 2
    assert Response.objects.filter(form=form).count() == 2


def test_a_refused_sign_up_changes_nothing(world, slots):
    form, (there, back, _walking) = slots
    for _n in range(2):
        sign_up(form, parent(world), [there])
    latecomer = parent(world)
    with pytest.raises(signing.OptionFull):
        sign_up(form, latecomer, [back, there])  # all or nothing: not even the free one
    back.refresh_from_db()
    assert back.taken == 0
    assert not Response.objects.filter(form=form, family_user=latecomer).exists()


def test_when_every_place_is_taken_the_message_says_so(world):
    form = make_form(world)
    (slot,) = options_of(add_question(form, options=[("Heen", 1)]))
    sign_up(form, parent(world), [slot])
    with translation.override("en"), pytest.raises(signing.OptionFull) as refused:
        sign_up(form, parent(world), [slot])
    assert refused.value.message.endswith("There are no free places left.")


def test_a_parent_keeps_their_place_in_a_full_slot_when_changing_other_answers(world, slots):
    form, (there, back, walking) = slots
    first = parent(world)
    sign_up(form, first, [there])
    sign_up(form, parent(world), [there])

    sign_up(form, first, [there, walking])
    sign_up(form, first, [walking])  # gives the place up
    sign_up(form, parent(world), [there])  # someone else takes it

    there.refresh_from_db()
    walking.refresh_from_db()
    assert there.taken == 2 and walking.taken == 1


def test_withdrawing_frees_the_places(world, slots):
    form, (there, back, _walking) = slots
    parents = [parent(world), parent(world)]
    responses = [sign_up(form, p, [there, back]) for p in parents]

    assert signing.withdraw(responses[0], parents[0]) is True
    assert signing.withdraw(responses[0], parents[0]) is False  # already gone

    for option in (there, back):
        option.refresh_from_db()
        assert option.taken == 1
    sign_up(form, parent(world), [there])


def test_the_database_refuses_more_than_the_capacity(world, slots):
    _form, (there, _back, walking) = slots
    Option.objects.filter(pk=there.pk).update(taken=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Option.objects.filter(pk=there.pk).update(taken=F("taken") + 1)
    Option.objects.filter(pk=walking.pk).update(taken=F("taken") + 500)  # no capacity: no limit


def test_a_single_choice_takes_one_option_and_choices_must_be_the_forms(world):
    form = make_form(world)
    question = add_question(form, kind=Question.Kind.SINGLE, options=[("Ma", None), ("Di", None)])
    monday, tuesday = options_of(question)
    other_form = make_form(world, title="Ander")
    (foreign,) = options_of(add_question(other_form))
    with pytest.raises(signing.SignupError):
        sign_up(form, parent(world), [monday, tuesday])
    with pytest.raises(signing.SignupError):
        sign_up(form, parent(world), [foreign])
    with pytest.raises(signing.SignupError):
        sign_up(form, parent(world), [])  # nothing at all


def test_staff_change_the_number_of_places_but_never_below_those_signed_up(world, slots):
    form, (there, _back, _walking) = slots
    for _n in range(2):
        sign_up(form, parent(world), [there])
    with translation.override("en"), pytest.raises(signing.SignupError) as refused:
        signing.set_capacity(there, 1)
    assert "2 parents have signed up already" in refused.value.message
    assert signing.set_capacity(there, 3).capacity == 3
    sign_up(form, parent(world), [there])


def test_a_per_child_form_counts_a_place_per_child(world):
    form = make_form(world, per=Form.Per.CHILD)
    (slot,) = options_of(add_question(form, options=[("Zwemles", 2)]))
    (mother,), (noor, sem) = family(world.group3, world.group3)
    sign_up(form, mother, [slot], student=noor)
    sign_up(form, mother, [slot], student=sem)
    (other,), (child,) = family(world.group3)
    with pytest.raises(signing.OptionFull):
        sign_up(form, other, [slot], student=child)
    slot.refresh_from_db()
    assert slot.taken == 2
