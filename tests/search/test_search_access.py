"""The search page finds what each role may see and nothing else: every hit comes from the
module's own ``visible_to`` builder (``lib.search``), a switched-off or closed module gives no
hits, and a hidden ex-partner's message is never found."""

import datetime

import pytest
from django.utils import timezone
from django.utils.html import escape

from schoolpoort.core.models import ModuleClosure, ModuleSwitch
from schoolpoort.messaging.models import Conversation, Participant
from tests.albums.helpers import make_album
from tests.documents.helpers import add_document, make_shelf
from tests.news.news_helpers import make_post
from tests.search.helpers import conversation, say, search_url

Role = Participant.Role


def found(client, user, text: str, **params) -> str:
    client.force_login(user)
    response = client.get(search_url(text, **params))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def content(world):
    users = world.users
    return {
        "group3": make_post(users["teacher"], groups=[world.group3], title="Schoolreis groep drie",
                            body="We gaan naar de Efteling."),
        "group6": make_post(users["teacher_other_group"], groups=[world.group6], title="Schoolreis groep zes",
                            body="We gaan naar het Rijksmuseum."),
        "other_school": make_post(users["board_admin_other_board"], school=world.other_school,
                                  title="Schoolreis andere school"),
        "album": make_album(users["teacher"], groups=[world.group3], title="Schoolreis album drie"),
        "document": add_document(make_shelf(world.school, users["director"]), users["director"],
                                 title="Schoolreis brief"),
    }


def test_a_parent_of_groep_3_finds_their_groups_news_album_and_document_not_groep_6s(client, world, content):
    page = found(client, world.users["guardian"], "schoolreis")
    assert "Schoolreis groep drie" in page and "Schoolreis album drie" in page and "Schoolreis brief" in page
    assert "Schoolreis groep zes" not in page
    assert "Schoolreis andere school" not in page
    for code in ("news", "albums", "documents"):
        assert f'id="search-{code}"' in page


def test_a_parent_of_groep_6_does_not_find_groep_3s_news_or_album(client, world, content):
    page = found(client, world.users["guardian_other_group"], "schoolreis")
    assert "Schoolreis groep zes" in page
    assert "Schoolreis groep drie" not in page and "Schoolreis album drie" not in page


def test_another_schools_teacher_and_parent_find_nothing_of_this_school(client, world, content):
    for role in ("guardian_other_school", "board_admin_other_board"):
        page = found(client, world.users[role], "schoolreis")
        assert "groep drie" not in page and "groep zes" not in page and "Schoolreis brief" not in page


def test_the_director_finds_every_post_of_the_school(client, world, content):
    page = found(client, world.users["director"], "schoolreis")
    assert "Schoolreis groep drie" in page and "Schoolreis groep zes" in page
    assert "Schoolreis andere school" not in page


def test_a_switched_off_module_gives_no_hits_to_parents_or_staff(client, world, content):
    ModuleSwitch.objects.filter(school=world.school, module__in=["news", "albums", "documents"]).update(
        enabled=False
    )
    for role in ("guardian", "teacher", "director"):
        page = found(client, world.users[role], "schoolreis")
        assert 'id="search-nothing"' in page, role


def test_a_closed_module_gives_no_hits_to_parents(client, world, content):
    today = timezone.localdate()
    for module in ("news", "albums", "documents"):
        ModuleClosure.objects.create(school=world.school, module=module, starts_on=today,
                                     ends_on=today + datetime.timedelta(days=3))
    assert 'id="search-nothing"' in found(client, world.users["guardian"], "schoolreis")
    assert "Schoolreis groep drie" in found(client, world.users["teacher"], "schoolreis")  # staff: still usable


def test_only_own_conversations_are_found(client, world):
    users = world.users
    thread = conversation(world.school, "Vraag over de gymles", (users["guardian"], Role.GUARDIAN),
                          (users["teacher"], Role.TEACHER))
    say(thread, users["guardian"], "Mag Noor morgen zonder gymschoenen?")
    assert "Vraag over de gymles" in found(client, users["guardian"], "gymschoenen")
    assert "Vraag over de gymles" in found(client, users["teacher"], "gymschoenen")
    for role in ("other_guardian", "guardian_other_group", "teacher_other_group", "director"):
        assert "Vraag over de gymles" not in found(client, users[role], "gymschoenen"), role


def test_a_hidden_ex_partners_message_is_never_found(client, world):
    users = world.users
    group = conversation(world.school, "Ouders groep 3", (users["teacher"], Role.TEACHER),
                         (users["guardian"], Role.GUARDIAN), (users["other_guardian"], Role.GUARDIAN),
                         kind=Conversation.Kind.GROUP)
    say(group, users["other_guardian"], "Mijn nieuwe adres is Lindelaan 12")
    say(group, users["teacher"], "Fijn, de Lindelaan is dichtbij school")
    page = found(client, users["guardian"], "lindelaan")
    assert "dichtbij school" in page
    assert "adres" not in page and escape(users["other_guardian"].full_name) not in page
    assert "adres" in found(client, users["teacher"], "lindelaan")  # staff see every guardian
    assert "dichtbij" in found(client, users["other_guardian"], "lindelaan")  # the rule runs one way


def test_switched_off_messaging_gives_no_message_hits(client, world):
    users = world.users
    thread = conversation(world.school, "Vraag", (users["guardian"], Role.GUARDIAN), (users["teacher"], Role.TEACHER))
    say(thread, users["guardian"], "Gymschoenen vergeten")
    ModuleSwitch.objects.filter(school=world.school, module="messaging").update(enabled=False)
    assert 'id="search-nothing"' in found(client, users["guardian"], "gymschoenen")


def test_anonymous_is_sent_to_the_login_page(client, world):
    response = client.get(search_url("schoolreis"))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_a_scheduled_post_is_found_by_its_author_not_by_parents(client, world):
    make_post(world.users["teacher"], groups=[world.group3], title="Kerstviering later",
              when=timezone.now() + datetime.timedelta(days=2))
    assert "Kerstviering later" in found(client, world.users["teacher"], "kerstviering")
    assert "Kerstviering later" not in found(client, world.users["guardian"], "kerstviering")
