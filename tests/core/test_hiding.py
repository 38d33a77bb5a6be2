"""The one hiding rule (``core.hiding``): a guardian who keeps their contact details from the other
guardian of the same child is hidden from that guardian, and only from them; one query however
many children; and every path where a guardian meets another asks it (the records card, the
school square; messaging and the class list have their own page tests)."""

import pytest
from django.utils.html import escape
from django.urls import reverse

from schoolpoort.core.hiding import (
    hidden_guardians,
    hidden_user_ids,
    hidden_user_ids_q,
    keeps_apart,
    kept_apart_student_ids_q,
)
from schoolpoort.core.models import Guardianship, ModuleSwitch, Student
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def test_the_other_guardian_who_hides_is_hidden_from_the_guardian(world):
    users = world.users
    assert hidden_user_ids(users["guardian"]) == {users["other_guardian"].pk}
    assert set(Guardianship.objects.filter(user_id__in=hidden_user_ids_q(users["guardian"]))
               .values_list("user_id", flat=True)) == {users["other_guardian"].pk}


def test_the_rule_runs_one_way_and_reaches_no_one_else(world):
    users = world.users
    assert hidden_user_ids(users["other_guardian"]) == set()  # the hider still sees the other
    for role in ("guardian_other_group", "guardian_other_school", "teacher", "administration", "anonymous"):
        assert hidden_user_ids(users[role]) == set()


def test_a_hider_of_one_child_is_not_hidden_by_anothers_flag(world):
    """A parent whose own slot hides from someone else's ex does not hide from unrelated parents."""
    classmate_parent = UserFactory()
    GuardianshipFactory(student=enrolled_student(world.group3), user=classmate_parent,
                        hides_contact_from_other_guardians=True)
    assert classmate_parent.pk not in hidden_user_ids(world.users["guardian"])


def test_an_unregistered_guardian_slot_that_hides_is_hidden_too(world):
    slot = GuardianshipFactory(student=world.child, user=None, first_name="Anouk",
                               hides_contact_from_other_guardians=True)
    hidden = hidden_guardians(world.users["guardian"])
    assert hidden.hides(slot)
    slots = list(Guardianship.objects.filter(student=world.child))
    assert {s.user_id for s in hidden.visible(slots)} == {world.users["guardian"].pk}


def test_one_query_however_many_children(world, django_assert_num_queries):
    guardian = world.users["guardian"]
    for index in range(5):
        child = enrolled_student(world.group3, first_name=f"Kind{index}")
        GuardianshipFactory(student=child, user=guardian)
        GuardianshipFactory(student=child, hides_contact_from_other_guardians=True)
    with django_assert_num_queries(1):
        hidden = hidden_guardians(guardian)
    assert len(hidden.user_ids) == 6


def test_guardians_of_one_child_are_kept_apart_when_one_hides(world):
    slots = list(Guardianship.objects.filter(student=world.child))
    assert keeps_apart(slots)
    assert not keeps_apart([s for s in slots if not s.hides_contact_from_other_guardians])
    assert list(Student.objects.filter(pk__in=kept_apart_student_ids_q())) == [world.child]


def test_the_records_card_hides_the_other_guardian_from_the_guardian_only(client, world):
    ModuleSwitch.objects.update_or_create(school=world.school, module="records", defaults={"enabled": True})
    users, url = world.users, reverse("records:card", args=[world.child.pk])
    hider = users["other_guardian"]
    client.force_login(users["guardian"])
    page = client.get(url).content.decode()
    assert escape(users["guardian"].full_name) in page and escape(hider.full_name) not in page
    client.force_login(hider)
    assert escape(users["guardian"].full_name) in client.get(url).content.decode()
    client.force_login(users["administration"])
    assert escape(hider.full_name) in client.get(url).content.decode()
