"""The pages: the bookshelf, a shelf with folders, a document with its versions, the home block, and
the forms staff use. Every list page takes the same number of queries for more data."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from schoolpoort.core.models import Guardianship
from schoolpoort.documents.models import Document, Folder, Shelf
from tests.documents.helpers import add_document, english, make_shelf, replace
from tests.factories import GuardianshipFactory, enrolled_student


def link(world, role="guardian"):
    return Guardianship.objects.get(student=world.child, user=world.users[role])


@pytest.fixture
def shelves(world):
    users = world.users
    school = make_shelf(world.school, users["director"], title="Schoolgids en protocollen")
    group3 = make_shelf(world.school, users["teacher"], audience="groups", groups=[world.group3], title="Groep 3")
    letter = make_shelf(world.school, users["administration"], audience="guardians", title="Brieven over Noor",
                        guardianships=[link(world), link(world, "other_guardian")])
    protocols = Folder.objects.create(shelf=school, title="Protocollen")
    add_document(school, users["director"], title="Schoolgids")
    add_document(school, users["director"], title="Pestprotocol", folder=protocols)
    add_document(group3, users["teacher"], title="Rooster groep 3")
    add_document(letter, users["administration"], title="Brief over extra ondersteuning")
    return {"school": school, "group3": group3, "letter": letter, "protocols": protocols}


def grow(world, shelves):
    """More of everything the pages show: shelves, folders, documents, versions, named parents."""
    users = world.users
    for n in range(3):
        shelf = make_shelf(world.school, users["director"], title=f"Extra {n}")
        folder = Folder.objects.create(shelf=shelf, title=f"Map {n}")
        Folder.objects.create(shelf=shelves["school"], title=f"Map {n}", parent=shelves["protocols"])
        add_document(shelf, title=f"Los {n}")
        add_document(shelf, title=f"In map {n}", folder=folder)
        document = add_document(shelves["school"], title=f"Protocol {n}")
        replace(document)
        add_document(shelves["school"], title=f"Beleid {n}", folder=shelves["protocols"])
        add_document(shelves["group3"], title=f"Werkblad {n}")
        make_shelf(world.school, audience="groups", groups=[world.group3, world.group6], title=f"Groepen {n}")
        brother = enrolled_student(world.group3)
        slots = [GuardianshipFactory(student=brother, user=users["guardian"]), GuardianshipFactory(student=brother)]
        letter = make_shelf(world.school, audience="guardians", guardianships=slots, title=f"Brief {n}")
        add_document(letter, title=f"Brief {n}")
    for document in Document.objects.filter(shelf=shelves["school"])[:2]:
        replace(document)


def assert_constant_queries(client, django_assert_num_queries, url, world, shelves):
    client.get(url)  # the session and the like settle first
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    expected = len(small)  # now: the next request empties the log
    grow(world, shelves)
    client.get(url)  # warm, as on a running server: its reach is cached
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", ["guardian", "teacher", "administration", "board_admin"])
@pytest.mark.parametrize("page", ["list", "shelf", "folder", "detail"])
def test_the_pages_take_the_same_number_of_queries_for_more_data(
    client, world, shelves, role, page, django_assert_num_queries
):
    school = shelves["school"]
    url = {
        "list": reverse("documents:list"),
        "shelf": school.get_absolute_url(),
        "folder": shelves["protocols"].get_absolute_url(),
        "detail": Document.objects.get(title="Schoolgids").get_absolute_url(),
    }[page]
    client.force_login(world.users[role])
    assert_constant_queries(client, django_assert_num_queries, url, world, shelves)


def home_block_of(user):
    from django.test import RequestFactory

    from schoolpoort.documents.home import home_block
    from schoolpoort.web.overview import home_overview

    request = RequestFactory().get("/")
    request.user = user
    overview = home_overview(user)
    # The block is for the staff's "more" part of the timeline; a teacher who is also a parent
    # counts what they see as a parent too, so the count rule is tested on parents' accounts.
    overview.shows_more = True
    return home_block(request, overview)


@pytest.mark.parametrize("role", ["teacher", "director", "board_admin"])
def test_the_home_block_costs_one_query_whatever_the_data(world, shelves, role, django_assert_num_queries):
    from django.test import RequestFactory

    from schoolpoort.documents.home import home_block
    from schoolpoort.web.overview import home_overview

    user = world.users[role]
    request = RequestFactory().get("/")
    request.user = user
    overview = home_overview(user)
    with django_assert_num_queries(1):
        assert home_block(request, overview) is not None
    grow(world, shelves)
    with django_assert_num_queries(1):
        assert home_block(request, overview) is not None


def test_a_parent_gets_no_home_block_and_it_costs_no_query(world, shelves, django_assert_num_queries):
    """The block would go to the "more" part of the timeline, which only staff see."""
    from django.test import RequestFactory

    from schoolpoort.documents.home import home_block
    from schoolpoort.web.overview import home_overview

    user = world.users["guardian"]
    request = RequestFactory().get("/")
    request.user = user
    overview = home_overview(user)
    assert not overview.shows_more
    with django_assert_num_queries(0):
        assert home_block(request, overview) is None


# --- What the pages show -----------------------------------------------------------------------


def test_the_bookshelf_shows_the_shelves_with_their_audience_and_what_is_new(client, world, shelves):
    guardian = world.users["guardian"]
    english(guardian)
    client.force_login(guardian)
    page = client.get(reverse("documents:list")).content.decode()
    assert 'id="recent"' in page and "Brief over extra ondersteuning" in page
    assert "Schoolgids en protocollen" in page and "Groep 3" in page
    assert "Personal" in page  # a parent does not see the other names on their own letter
    assert "New shelf" not in page


def test_staff_see_who_a_letter_is_for(client, world, shelves):
    director = world.users["director"]
    english(director)
    client.force_login(director)
    page = client.get(reverse("documents:list")).content.decode()
    assert escape(world.child.full_name) in page
    assert escape(world.users["guardian"].get_full_name()) in page
    assert reverse("documents:shelf_create", args=[world.school.pk]) in page


def test_documents_older_than_fourteen_days_are_not_new(client, world, shelves):
    Document.objects.update(created_at=timezone.now() - datetime.timedelta(days=15))
    client.force_login(world.users["guardian"])
    assert 'id="recent"' not in client.get(reverse("documents:list")).content.decode()
    assert home_block_of(world.users["guardian"]) is None


def test_the_home_block_counts_the_new_documents_the_user_sees(world, shelves):
    from django.template.loader import render_to_string

    block = home_block_of(world.users["guardian"])
    assert block.context["count"] == 4
    with translation.override("en"):
        html = render_to_string(block.template, {"block": block.context})
    assert "4 new documents in the last 14 days." in html
    assert f'{reverse("documents:list")}#recent' in html
    assert home_block_of(world.users["guardian_other_group"]).context["count"] == 2
    assert home_block_of(world.users["guardian_other_school"]) is None  # nothing new at school B1


def test_the_home_block_is_on_the_staff_home_page_and_under_meer_for_parents(client, world, shelves):
    client.force_login(world.users["teacher"])
    assert 'class="card doc-home"' in client.get(reverse("web:home")).content.decode()
    # A parent's home is a timeline of what needs them (issue 15); documents are one tap under Meer.
    client.force_login(world.users["guardian"])
    assert reverse("documents:list") in client.get(reverse("web:more")).content.decode()


def test_the_home_block_is_not_there_when_documents_is_off(world, shelves):
    from schoolpoort.core.models import ModuleSwitch

    ModuleSwitch.objects.filter(school=world.school, module="documents").update(enabled=False)
    assert home_block_of(world.users["guardian"]) is None
    assert home_block_of(world.users["director"]) is None


def test_a_shelf_shows_its_folders_and_documents_and_a_folder_its_own(client, world, shelves):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get(shelves["school"].get_absolute_url()).content.decode()
    assert "Protocollen" in page and "Schoolgids" in page and "Pestprotocol" not in page
    assert "Add a document" not in page
    page = client.get(shelves["protocols"].get_absolute_url()).content.decode()
    assert "Pestprotocol" in page and ">Schoolgids<" not in page


def test_a_document_offers_open_for_a_pdf(client, world, shelves):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    document = Document.objects.get(title="Schoolgids")
    page = client.get(document.get_absolute_url()).content.decode()
    assert f'id="open-current" href="{document.file_url}"' in page and "Open the PDF" in page


# --- Who may change what -------------------------------------------------------------------------


@pytest.mark.parametrize("role, shelf, allowed", [
    ("teacher", "group3", True),
    ("teacher", "school", False),
    ("teacher", "letter", False),
    ("teacher_other_group", "group3", False),
    ("administration", "letter", True),
    ("director", "school", True),
    ("board_admin", "group3", True),
    ("guardian", "group3", False),
])
def test_who_may_add_and_change_documents(client, world, shelves, role, shelf, allowed):
    client.force_login(world.users[role])
    target = shelves[shelf]
    document = target.documents.first()
    status = 200 if allowed else 404
    for url in (reverse("documents:upload", args=[target.pk]), reverse("documents:shelf_edit", args=[target.pk]),
                reverse("documents:folder_create", args=[target.pk]), reverse("documents:replace", args=[document.pk]),
                reverse("documents:edit", args=[document.pk]), reverse("documents:delete", args=[document.pk])):
        assert client.get(url).status_code == status, url


def test_a_teacher_makes_a_shelf_for_their_own_group_only(client, world):
    english(world.users["teacher"])
    client.force_login(world.users["teacher"])
    url = reverse("documents:shelf_create", args=[world.school.pk])
    page = client.get(url).content.decode()
    assert f'name="groups" value="{world.group3.pk}"' in page and 'value="school"' not in page
    assert f'name="groups" value="{world.group6.pk}"' not in page
    assert re.search(r'name="audience" value="groups"[^>]*checked', page)  # the only choice, chosen
    assert client.post(url, {"title": "Alles", "audience": "school", "position": 0}).status_code == 200
    assert client.post(url, {"title": "Groep 6", "audience": "groups", "groups": [world.group6.pk],
                             "position": 0}).status_code == 200
    response = client.post(url, {"title": "Groep 3", "audience": "groups", "groups": [world.group3.pk], "position": 0})
    assert response.status_code == 302
    shelf = Shelf.objects.get()
    assert list(shelf.groups.all()) == [world.group3] and shelf.created_by == world.users["teacher"]


def test_a_teacher_of_another_school_cannot_make_a_shelf_here(client, world):
    client.force_login(world.users["teacher"])
    assert client.get(reverse("documents:shelf_create", args=[world.other_school.pk])).status_code == 404
    client.force_login(world.users["guardian"])
    assert client.get(reverse("documents:shelf_create", args=[world.school.pk])).status_code == 404


def test_the_office_writes_a_letter_to_one_parent_of_a_child(client, world):
    administration = world.users["administration"]
    english(administration)
    client.force_login(administration)
    url = reverse("documents:shelf_create", args=[world.school.pk])
    # Choosing the pupil shows that pupil's parents to tick (htmx asks for the form with ?student=).
    page = client.get(url, {"student": world.child.pk}).content.decode()
    assert 'id="guardian-choices"' in page
    assert escape(world.users["guardian"].get_full_name()) in page
    assert escape(world.users["other_guardian"].get_full_name()) in page
    # Without ticking anybody: asked to tick, with the parents to choose from.
    response = client.post(url, {"title": "Brief", "audience": "guardians", "student": world.child.pk, "position": 0})
    assert response.status_code == 200 and "Tick the parents of" in response.content.decode()
    response = client.post(url, {"title": "Brief", "audience": "guardians", "student": world.child.pk,
                                 "guardianships": [link(world).pk], "position": 0})
    assert response.status_code == 302
    shelf = Shelf.objects.get()
    assert list(shelf.guardianships.all()) == [link(world)]
    assert Shelf.objects.visible_to(world.users["guardian"]).filter(pk=shelf.pk).exists()
    assert not Shelf.objects.visible_to(world.users["other_guardian"]).filter(pk=shelf.pk).exists()
    # Editing shows the pupil and the ticked parent again.
    page = client.get(reverse("documents:shelf_edit", args=[shelf.pk])).content.decode()
    assert re.search(rf'name="guardianships" value="{link(world).pk}"[^>]*checked', page)
    assert not re.search(rf'name="guardianships" value="{link(world, "other_guardian").pk}"[^>]*checked', page)


def test_parents_of_another_pupil_cannot_be_slipped_into_a_letter(client, world):
    client.force_login(world.users["administration"])
    foreign = Guardianship.objects.get(user=world.users["guardian_other_group"])
    response = client.post(reverse("documents:shelf_create", args=[world.school.pk]), {
        "title": "Brief", "audience": "guardians", "student": world.child.pk, "guardianships": [foreign.pk],
        "position": 0,
    })
    assert response.status_code == 200 and not Shelf.objects.exists()
    other_school = Guardianship.objects.get(user=world.users["guardian_other_school"])
    response = client.post(reverse("documents:shelf_create", args=[world.school.pk]), {
        "title": "Brief", "audience": "guardians", "student": other_school.student_id,
        "guardianships": [other_school.pk], "position": 0,
    })
    assert response.status_code == 200 and not Shelf.objects.exists()


def test_a_teacher_cannot_write_a_letter_to_one_family(client, world):
    client.force_login(world.users["teacher"])
    response = client.post(reverse("documents:shelf_create", args=[world.school.pk]), {
        "title": "Brief", "audience": "guardians", "student": world.child.pk,
        "guardianships": [link(world).pk], "position": 0,
    })
    assert response.status_code == 200 and not Shelf.objects.exists()


def test_folders_nest_move_and_only_empty_ones_can_be_deleted(client, world, shelves):
    english(world.users["director"])
    client.force_login(world.users["director"])
    school = shelves["school"]
    response = client.post(reverse("documents:folder_create", args=[school.pk]),
                           {"title": "Gezondheid", "parent": shelves["protocols"].pk})
    health = Folder.objects.get(title="Gezondheid")
    assert response.status_code == 302 and health.parent == shelves["protocols"]
    page = client.get(health.get_absolute_url()).content.decode()
    assert "Protocollen" in page  # the way back
    # A folder cannot move into itself or below itself.
    response = client.post(reverse("documents:folder_edit", args=[school.pk, shelves["protocols"].pk]),
                           {"title": "Protocollen", "parent": health.pk})
    assert response.status_code == 200
    # Not empty: refused with a message, nothing lost.
    response = client.post(reverse("documents:folder_delete", args=[school.pk, shelves["protocols"].pk]), follow=True)
    assert "Only an empty folder can be deleted" in response.content.decode()
    assert Folder.objects.filter(pk=shelves["protocols"].pk).exists()
    response = client.post(reverse("documents:folder_delete", args=[school.pk, health.pk]))
    assert response.status_code == 302 and not Folder.objects.filter(pk=health.pk).exists()


def test_a_document_moves_into_a_folder_of_its_own_shelf_only(client, world, shelves):
    client.force_login(world.users["director"])
    document = Document.objects.get(title="Schoolgids")
    url = reverse("documents:edit", args=[document.pk])
    foreign = Folder.objects.create(shelf=shelves["letter"], title="Elders")
    assert client.post(url, {"title": "Schoolgids", "folder": foreign.pk}).status_code == 200
    response = client.post(url, {"title": "Schoolgids 2026", "description": "", "folder": shelves["protocols"].pk})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.folder == shelves["protocols"] and document.title == "Schoolgids 2026"


def test_uploading_into_a_folder(client, world, shelves):
    from tests.documents.helpers import PDF, upload

    client.force_login(world.users["director"])
    url = reverse("documents:upload", args=[shelves["school"].pk])
    page = client.get(url, {"map": shelves["protocols"].pk}).content.decode()
    assert f'value="{shelves["protocols"].pk}" selected' in page
    response = client.post(url, {"title": "Protocol medicijnen", "folder": shelves["protocols"].pk,
                                 "file": upload("medicijnen.pdf", PDF)})
    assert response.status_code == 302 and response["Location"] == shelves["protocols"].get_absolute_url()
    assert Document.objects.get(title="Protocol medicijnen").folder == shelves["protocols"]


def test_deleting_a_shelf_asks_first(client, world, shelves):
    client.force_login(world.users["director"])
    url = reverse("documents:shelf_delete", args=[shelves["school"].pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert not Shelf.objects.filter(pk=shelves["school"].pk).exists()
    assert not Document.objects.filter(title="Pestprotocol").exists()
