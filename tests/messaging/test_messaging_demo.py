"""The demo's messages (DEMO.md): threads between the demo parents and teachers of De Regenboog,
one unread for jansen@, the separated parents of Lotte apart, and no messages at De Ark."""

from django.urls import reverse

from schoolpoort.core.models import Guardianship
from schoolpoort.lib.demo import ARK, REGENBOOG
from schoolpoort.messaging.counts import unread_conversations
from schoolpoort.messaging.models import Conversation, SchoolMessagingSettings, TeacherAvailability
from schoolpoort.messaging.recipients import recipient_options


def subjects(user) -> set[str]:
    return set(Conversation.objects.visible_to(user).values_list("subject", flat=True))


def test_the_demo_has_conversations_between_its_parents_and_teachers(client, demo):
    users = demo.users
    assert subjects(users["jansen@ouders.example"]) == {"Noor en het leesboek", "Adreswijziging"}
    assert unread_conversations(users["jansen@ouders.example"]) == 1
    assert subjects(users["leerkracht.groep3@regenboog.example"]) == {"Noor en het leesboek"}
    assert subjects(users["administratie@regenboog.example"]) == {"Adreswijziging"}
    assert subjects(users["leerkracht.groep6@regenboog.example"]) == {"Zwemles Lotte", "Trakteren op Lottes verjaardag"}
    # The separated parents of Lotte each have their own; neither sees the other's.
    assert subjects(users["devries@ouders.example"]) == {"Zwemles Lotte"}
    assert subjects(users["bakker@ouders.example"]) == {"Trakteren op Lottes verjaardag"}
    assert subjects(users["directie@regenboog.example"]) == set()  # the school does not allow reading

    settings = SchoolMessagingSettings.objects.get(school=demo.schools[REGENBOOG])
    assert settings.parent_notice and not settings.directors_may_read
    assert TeacherAvailability.objects.get(user=users["leerkracht.groep6@regenboog.example"]).office_hours

    client.force_login(users["jansen@ouders.example"])
    page = client.get(reverse("messaging:inbox")).content.decode()
    assert page.count("msg-row--unread") == 1


def test_messages_are_off_at_de_ark(client, demo):
    ark_only = (
        Guardianship.objects.filter(student__school=demo.schools[ARK], user__isnull=False)
        .exclude(user__guardianships__student__school=demo.schools[REGENBOOG])
        .first()
        .user
    )
    for user in (ark_only, demo.users["leerkracht.groep5@deark.example"]):
        client.force_login(user)
        assert client.get(reverse("messaging:inbox")).status_code == 404
        assert client.get(reverse("messaging:compose")).status_code == 404
        assert 'id="messaging-home"' not in client.get(reverse("web:home")).content.decode()
    assert not Conversation.objects.filter(school=demo.schools[ARK]).exists()
    # A parent at both schools writes only to De Regenboog.
    options = recipient_options(demo.users["elmoussaoui@ouders.example"])
    assert {recipient.school.brin for recipient in options.recipients} == {REGENBOOG}
