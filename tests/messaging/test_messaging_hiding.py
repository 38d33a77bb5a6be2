"""A hidden ex-partner stays hidden in messaging (``core.hiding``), through the real pages of the
demo (DEMO.md): Bakker keeps her contact details from De Vries, the other guardian of Lotte (groep
6). Once both allow messages from the other parents of groep 6, De Vries is still never offered
Bakker, a crafted POST with her value is refused without naming her, and a group conversation
does not list her to him."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.lib.demo import REGENBOOG
from schoolpoort.messaging.models import Conversation, ParentContactConsent
from schoolpoort.messaging.recipients import TOGETHER
from tests.messaging.helpers import english, school_settings, start_one, values_of


@pytest.fixture
def groep6(demo):
    """Parent messages allowed at De Regenboog; De Vries, Bakker and Jansen opted in for groep 6."""
    school_settings(demo.schools[REGENBOOG], parent_to_parent=True)
    group = demo.groups[REGENBOOG, "6"]
    for email in ("devries@ouders.example", "bakker@ouders.example", "jansen@ouders.example"):
        ParentContactConsent.objects.get_or_create(user=demo.users[email], group=group)
    english(*(demo.users[email] for email in ("devries@ouders.example", "bakker@ouders.example")))
    return group


def test_de_vries_is_never_offered_bakker_on_the_new_message_form(client, demo, groep6):
    devries, bakker, jansen = (demo.users[f"{name}@ouders.example"] for name in ("devries", "bakker", "jansen"))
    client.force_login(devries)
    page = client.get(reverse("messaging:compose")).content.decode()
    assert f"parent:{jansen.pk}:{groep6.pk}" in page and escape(jansen.full_name) in page  # the form does offer parents
    assert f"parent:{bakker.pk}:{groep6.pk}" not in page
    assert escape(bakker.full_name) not in page and escape(bakker.last_name) not in page


def test_a_crafted_post_with_bakkers_value_is_refused_without_naming_her(client, demo, groep6):
    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    before = Conversation.objects.count()
    client.force_login(devries)
    response = client.post(reverse("messaging:compose"), {
        "recipient": f"parent:{bakker.pk}:{groep6.pk}", "subject": "Hallo", "body": "Hallo Sanne", "mode": "separate",
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose whom to write to from the list." in page
    assert escape(bakker.full_name) not in page and escape(bakker.last_name) not in page
    assert Conversation.objects.count() == before


def test_the_rule_runs_one_way_the_hider_may_still_write(demo, groep6):
    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    assert f"parent:{devries.pk}:{groep6.pk}" in values_of(bakker)
    assert f"parent:{bakker.pk}:{groep6.pk}" not in values_of(devries)


def test_a_group_conversation_does_not_list_bakker_to_de_vries(client, demo, groep6):
    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    teacher = demo.users["leerkracht.groep6@regenboog.example"]
    conversation = start_one(teacher, f"group:{groep6.pk}", subject="Schoolreis", mode=TOGETHER)
    assert conversation.participants.filter(user=bakker).exists()
    client.force_login(devries)
    page = client.get(conversation.get_absolute_url()).content.decode()
    assert escape(teacher.full_name) in page
    assert escape(bakker.full_name) not in page
    client.force_login(bakker)
    assert escape(devries.full_name) in client.get(conversation.get_absolute_url()).content.decode()


def test_a_message_bakker_writes_in_the_group_conversation_does_not_name_her_to_de_vries(client, demo, groep6):
    from schoolpoort.messaging import actions

    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    teacher = demo.users["leerkracht.groep6@regenboog.example"]
    conversation = start_one(teacher, f"group:{groep6.pk}", subject="Schoolreis", mode=TOGETHER)
    message = actions.post_message(conversation, bakker, "Ik kan rijden")
    client.force_login(devries)
    for url in (conversation.get_absolute_url(), reverse("messaging:poll", args=[conversation.pk]) + "?na=0"):
        page = client.get(url).content.decode()
        assert "Ik kan rijden" in page and "A parent" in page, url
        assert escape(bakker.full_name) not in page and escape(bakker.last_name) not in page, url
    client.force_login(teacher)
    assert escape(bakker.full_name) in client.get(conversation.get_absolute_url()).content.decode()
    assert message.pk


def test_a_conversation_de_vries_started_before_bakker_hid_is_closed_to_new_messages(demo, groep6):
    from schoolpoort.core.models import Guardianship
    from schoolpoort.messaging import actions

    devries, bakker = demo.users["devries@ouders.example"], demo.users["bakker@ouders.example"]
    lotte = demo.students["Lotte de Vries"]
    Guardianship.objects.filter(student=lotte, user=bakker).update(hides_contact_from_other_guardians=False)
    conversation = start_one(devries, f"parent:{bakker.pk}:{groep6.pk}", subject="Verjaardag")
    assert actions.refusal(conversation) is None
    Guardianship.objects.filter(student=lotte, user=bakker).update(hides_contact_from_other_guardians=True)
    assert actions.refusal(conversation)  # the school learnt they are separated: no more messages
    mine = start_one(bakker, f"parent:{devries.pk}:{groep6.pk}", subject="Ophalen")
    assert actions.refusal(mine) is None  # the one who hides may still write
