"""Whom each role may write to, and how a message to several parents becomes conversations:
teachers of one's children and the office for parents; one parent, a child's parents (apart when
one hides their contact details), or a whole group for teachers; other parents only with the
school's permission and both parents' consent — by name, never e-mail or phone."""

import itertools

import pytest
from django.utils.html import escape
from django.urls import reverse

from schoolpoort.messaging import actions
from schoolpoort.messaging.models import Conversation, Message, ParentContactConsent, Participant
from schoolpoort.messaging.recipients import TOGETHER
from tests.factories import GuardianshipFactory, StaffMembershipFactory, UserFactory, enrolled_student
from tests.messaging.helpers import english, school_settings, start, start_one, values_of


def test_a_parent_may_write_to_the_teachers_of_their_childs_group_and_the_office(world):
    users = world.users
    values = values_of(users["guardian"])
    assert f"teacher:{users['teacher'].pk}:{world.child.pk}" in values
    assert f"office:{world.school.pk}" in values
    assert not any(users["teacher_other_group"].pk == int(v.split(":")[1]) for v in values if v.startswith("teacher:"))
    assert not any(v.startswith(("guardian:", "family:", "group:", "parent:")) for v in values)


def test_the_office_is_the_administration_as_one_address(world):
    second = StaffMembershipFactory(school=world.school, role="administration").user
    conversation = start_one(world.users["guardian"], f"office:{world.school.pk}")
    members = set(conversation.participants.values_list("user_id", "role"))
    assert members == {
        (world.users["guardian"].pk, Participant.Role.GUARDIAN),
        (world.users["administration"].pk, Participant.Role.OFFICE),
        (second.pk, Participant.Role.OFFICE),
    }


def test_a_parent_cannot_write_to_a_teacher_of_another_group_even_by_posting_the_value(client, world):
    users = world.users
    client.force_login(users["guardian"])
    response = client.post(reverse("messaging:compose"), {
        "recipient": f"teacher:{users['teacher_other_group'].pk}:{world.child.pk}", "subject": "Hoi", "body": "Hallo",
    })
    assert response.status_code == 200
    assert not Conversation.objects.exists()


def test_a_teacher_may_write_to_the_parents_of_their_own_group_only(world):
    users = world.users
    values = values_of(users["teacher"])
    assert f"guardian:{users['guardian'].pk}:{world.child.pk}:{world.group3.pk}" in values
    assert f"family:{world.child.pk}:{world.group3.pk}" in values
    assert f"group:{world.group3.pk}" in values
    assert not any(str(world.group6.pk) == v.split(":")[-1] for v in values)
    assert not any(v.startswith(("teacher:", "office:", "parent:")) for v in values)


def test_the_office_and_the_director_may_write_to_the_parents_of_every_group_of_their_school(world):
    for role in ("administration", "director"):
        values = values_of(world.users[role])
        assert {f"group:{world.group3.pk}", f"group:{world.group6.pk}"} <= values, role


def test_parents_of_another_school_and_staff_elsewhere_are_never_offered(world):
    other = world.users["guardian_other_school"]
    for role in ("teacher", "administration", "director", "board_admin"):
        assert not any(f":{other.pk}:" in v for v in values_of(world.users[role])), role


def test_the_separated_parents_get_each_their_own_conversation(world):
    users = world.users
    conversations = start(users["teacher"], f"family:{world.child.pk}:{world.group3.pk}", body="Over Noor")
    assert len(conversations) == 2
    members = [set(c.participants.values_list("user_id", flat=True)) for c in conversations]
    assert sorted(members, key=sorted) == sorted(
        [{users["teacher"].pk, users["guardian"].pk}, {users["teacher"].pk, users["other_guardian"].pk}], key=sorted
    )
    for conversation in conversations:
        assert conversation.about_student_id == world.child.pk


def test_parents_who_hide_nothing_share_one_conversation_about_their_child(world):
    child = enrolled_student(world.group3)
    mother, father = GuardianshipFactory(student=child).user, GuardianshipFactory(student=child).user
    (conversation,) = start(world.users["teacher"], f"family:{child.pk}:{world.group3.pk}")
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        world.users["teacher"].pk, mother.pk, father.pk,
    }


def test_all_parents_of_a_group_get_a_private_conversation_per_family(world):
    sibling_family = enrolled_student(world.group3)
    parent = GuardianshipFactory(student=sibling_family).user
    GuardianshipFactory(student=enrolled_student(world.group3), user=parent)  # a brother in the same group
    GuardianshipFactory(student=enrolled_student(world.group3), user=None, email="")  # not registered

    conversations = start(world.users["teacher"], f"group:{world.group3.pk}", subject="Schoolreis")

    # Noor's separated parents each their own; the family with two children once.
    members = [set(c.participants.exclude(user=world.users["teacher"]).values_list("user_id", flat=True))
               for c in conversations]
    assert sorted(map(sorted, members)) == sorted(
        [[world.users["guardian"].pk], [world.users["other_guardian"].pk], [parent.pk]]
    )
    assert all(c.kind == Conversation.Kind.DIRECT for c in conversations)
    assert Message.objects.filter(body="Hallo").count() == 3


def test_all_parents_of_a_group_in_one_group_conversation(world):
    parent = GuardianshipFactory(student=enrolled_student(world.group3)).user
    (conversation,) = start(world.users["teacher"], f"group:{world.group3.pk}", mode=TOGETHER)
    assert conversation.kind == Conversation.Kind.GROUP and conversation.group == world.group3
    assert set(conversation.participants.values_list("user_id", flat=True)) == {
        world.users["teacher"].pk, world.users["guardian"].pk, world.users["other_guardian"].pk, parent.pk,
    }


def test_the_compose_form_starts_separate_conversations_and_says_how_many(client, world):
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    response = client.post(reverse("messaging:compose"), {
        "recipient": f"group:{world.group3.pk}", "mode": "separate", "subject": "Schoolreis", "body": "Dinsdag!",
    }, follow=True)
    assert "2 conversations have been started." in response.content.decode()
    assert Conversation.objects.filter(subject="Schoolreis").count() == 2


# --- Parents among themselves -----------------------------------------------------------------


@pytest.fixture
def classmate_parent(world):
    """A parent of another child of group 3."""
    return GuardianshipFactory(student=enrolled_student(world.group3), user=UserFactory(phone="0612345678")).user


@pytest.mark.parametrize("school_allows, mine, theirs", list(itertools.product([False, True], repeat=3)))
def test_parents_may_write_to_each_other_only_with_the_schools_permission_and_both_consents(
    world, classmate_parent, school_allows, mine, theirs
):
    me = world.users["guardian"]
    school_settings(world.school, parent_to_parent=school_allows)
    if mine:
        ParentContactConsent.objects.create(user=me, group=world.group3)
    if theirs:
        ParentContactConsent.objects.create(user=classmate_parent, group=world.group3)
    allowed = school_allows and mine and theirs
    value = f"parent:{classmate_parent.pk}:{world.group3.pk}"
    assert (value in values_of(me)) is allowed
    assert (f"parent:{me.pk}:{world.group3.pk}" in values_of(classmate_parent)) is allowed


def test_by_default_parents_cannot_write_to_each_other(world, classmate_parent):
    school_settings(world.school, parent_to_parent=True)
    assert not any(v.startswith("parent:") for v in values_of(world.users["guardian"]))


def test_a_consent_for_one_group_does_not_open_another(world):
    school_settings(world.school, parent_to_parent=True)
    me, other = world.users["guardian"], world.users["guardian_other_group"]
    ParentContactConsent.objects.create(user=me, group=world.group3)
    ParentContactConsent.objects.create(user=other, group=world.group6)
    assert not any(v.startswith("parent:") for v in values_of(me))


def test_other_parents_are_shown_by_name_never_by_email_or_phone(client, world, classmate_parent):
    me = world.users["guardian"]
    school_settings(world.school, parent_to_parent=True)
    for user in (me, classmate_parent):
        ParentContactConsent.objects.create(user=user, group=world.group3)
    client.force_login(me)
    page = client.get(reverse("messaging:compose")).content.decode()
    assert escape(classmate_parent.full_name) in page
    assert classmate_parent.email not in page and classmate_parent.phone not in page

    conversation = start_one(me, f"parent:{classmate_parent.pk}:{world.group3.pk}", body="Samen fietsen?")
    assert conversation.between_parents
    client.force_login(classmate_parent)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert escape(me.full_name) in page and me.email not in page


def test_withdrawing_consent_stops_the_conversation_between_parents(client, world, classmate_parent):
    me = world.users["guardian"]
    english(me)
    school_settings(world.school, parent_to_parent=True)
    for user in (me, classmate_parent):
        ParentContactConsent.objects.create(user=user, group=world.group3)
    conversation = start_one(me, f"parent:{classmate_parent.pk}:{world.group3.pk}", body="Samen fietsen?")
    assert actions.refusal(conversation) is None

    ParentContactConsent.objects.filter(user=classmate_parent).delete()
    client.force_login(me)
    response = client.post(conversation.get_absolute_url(), {"body": "Nog een vraag"})
    assert "no longer possible" in response.content.decode()
    assert not Message.objects.filter(body="Nog een vraag").exists()


def test_a_parent_sets_their_consent_per_group_of_their_children(client, world):
    me = world.users["guardian"]
    client.force_login(me)
    page = client.get(reverse("messaging:contact_settings")).content.decode()
    assert f'id="consent-{world.group3.pk}"' not in page  # the school does not allow it yet

    school_settings(world.school, parent_to_parent=True)
    page = client.get(reverse("messaging:contact_settings")).content.decode()
    assert f'id="consent-{world.group3.pk}"' in page and f'id="consent-{world.group6.pk}"' not in page

    client.post(reverse("messaging:contact_settings"), {"groups": [world.group3.pk, world.group6.pk]})
    assert list(ParentContactConsent.objects.filter(user=me).values_list("group_id", flat=True)) == [world.group3.pk]
    client.post(reverse("messaging:contact_settings"), {})
    assert not ParentContactConsent.objects.filter(user=me).exists()
