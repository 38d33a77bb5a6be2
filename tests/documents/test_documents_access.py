"""Who sees which shelf, document and file, role by role: both the yes and the no, through
``visible_to`` (as the views fetch) and through the pages and the file downloads. A letter for one
family reaches the named guardians only; a teacher does not see it. Guessed ids are a 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core.models import Guardianship, ModuleClosure, ModuleSwitch
from schoolpoort.documents.models import Document, DocumentVersion, Shelf
from tests.documents.helpers import PDF, add_document, body, make_shelf, replace
from tests.factories import GuardianshipFactory, UserFactory

SHELVES = ["school", "group3", "group6", "letter", "sister_school", "other_board"]
Y, N = True, False
MATRIX = {
    #                         school group3 group6 letter sister other
    "guardian":                (Y, Y, N, Y, N, N),
    "other_guardian":          (Y, Y, N, N, N, N),  # separated, not named on the letter
    "guardian_other_group":    (Y, N, Y, N, N, N),
    "guardian_other_school":   (N, N, N, N, N, Y),
    "teacher":                 (Y, Y, N, N, N, N),  # teaches the child, still no letter
    "teacher_other_group":     (Y, N, Y, N, N, N),
    "administration":          (Y, Y, Y, Y, N, N),
    "director":                (Y, Y, Y, Y, N, N),
    "board_admin":             (Y, Y, Y, Y, Y, N),
    "board_admin_other_board": (N, N, N, N, N, Y),
    "anonymous":               (N, N, N, N, N, N),
}
SIGNED_IN = [role for role in MATRIX if role != "anonymous"]


def guardian_link(world, role="guardian"):
    return Guardianship.objects.get(student=world.child, user=world.users[role])


@pytest.fixture
def shelves(world):
    users = world.users
    return {
        "school": make_shelf(world.school, users["director"], title="Schoolgids en protocollen"),
        "group3": make_shelf(world.school, users["teacher"], audience="groups", groups=[world.group3], title="Groep 3"),
        "group6": make_shelf(world.school, users["teacher_other_group"], audience="groups", groups=[world.group6],
                             title="Groep 6"),
        "letter": make_shelf(world.school, users["administration"], audience="guardians",
                             guardianships=[guardian_link(world)], title="Brief voor één ouder"),
        "sister_school": make_shelf(world.sister_school, users["board_admin"], title="School A2"),
        "other_board": make_shelf(world.other_school, users["board_admin_other_board"], title="School B1"),
    }


@pytest.fixture
def documents(shelves):
    return {name: add_document(shelf, title=f"Document {name}") for name, shelf in shelves.items()}


def expected(role, names=SHELVES):
    return {name for name, yes in zip(SHELVES, MATRIX[role], strict=True) if yes and name in names}


@pytest.mark.parametrize("role", MATRIX)
def test_shelves_visible_to_exactly_the_roles_audience(world, shelves, role):
    visible = set(Shelf.objects.visible_to(world.users[role]))
    assert visible == {shelves[name] for name in expected(role)}


@pytest.mark.parametrize("role", MATRIX)
def test_documents_and_current_versions_follow_their_shelf(world, documents, role):
    user = world.users[role]
    assert set(Document.objects.visible_to(user)) == {documents[name] for name in expected(role)}
    current = {documents[name].current_version_id for name in expected(role)}
    assert set(DocumentVersion.objects.visible_to(user).values_list("pk", flat=True)) == current


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_pages_and_the_files_follow_the_matrix(client, world, documents, role):
    client.force_login(world.users[role])
    for name, yes in zip(SHELVES, MATRIX[role], strict=True):
        document = documents[name]
        status = 200 if yes else 404
        assert client.get(reverse("documents:shelf", args=[document.shelf_id])).status_code == status, name
        assert client.get(document.get_absolute_url()).status_code == status, name
        assert client.get(document.file_url).status_code == status, name
        assert client.get(document.current_version.get_absolute_url()).status_code == status, name


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_bookshelf_lists_exactly_the_visible_shelves(client, world, shelves, role):
    client.force_login(world.users[role])
    page = client.get(reverse("documents:list")).content.decode()
    for name in SHELVES:
        assert (f'href="{shelves[name].get_absolute_url()}"' in page) is (name in expected(role)), name


def test_anonymous_visitors_are_sent_to_the_login_page(client, world, documents):
    document = documents["school"]
    for url in (reverse("documents:list"), reverse("documents:shelf", args=[document.shelf_id]),
                document.get_absolute_url(), document.file_url, document.current_version.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


# --- A letter for one family ---------------------------------------------------------------------


def test_a_letter_named_to_both_separated_guardians_reaches_both_and_no_one_else(world):
    both = make_shelf(world.school, audience="guardians", title="Brief",
                      guardianships=[guardian_link(world), guardian_link(world, "other_guardian")])
    for role in MATRIX:
        assert Shelf.objects.visible_to(world.users[role]).filter(pk=both.pk).exists() is (
            role in ("guardian", "other_guardian", "administration", "director", "board_admin")
        ), role


def test_a_letter_about_one_child_does_not_reach_a_parent_through_a_brother(world):
    """Named by the guardian link of one child; the same parent's link of another child is not named."""
    from tests.factories import enrolled_student

    brother = enrolled_student(world.group6)
    link = GuardianshipFactory(student=brother, user=world.users["guardian_other_group"])
    letter = make_shelf(world.school, audience="guardians", guardianships=[link])
    assert Shelf.objects.visible_to(world.users["guardian_other_group"]).filter(pk=letter.pk).exists()
    assert not Shelf.objects.visible_to(world.users["guardian"]).filter(pk=letter.pk).exists()


def test_a_named_guardian_who_registers_later_sees_the_letter(world):
    slot = GuardianshipFactory(student=world.child, user=None, email="later@example.org")
    letter = make_shelf(world.school, audience="guardians", guardianships=[slot])
    newcomer = UserFactory()
    assert not Shelf.objects.visible_to(newcomer).filter(pk=letter.pk).exists()
    slot.user = newcomer
    slot.save()
    assert Shelf.objects.visible_to(newcomer).filter(pk=letter.pk).exists()


def test_a_guardian_kept_from_class_pages_gets_the_school_shelf_and_their_letter_but_not_the_group(world, shelves):
    Guardianship.objects.filter(user=world.users["guardian"]).update(sees_class_pages=False)
    visible = set(Shelf.objects.visible_to(world.users["guardian"]))
    assert visible == {shelves["school"], shelves["letter"]}


def test_a_child_who_left_school_takes_every_shelf_along(world, shelves):
    world.child.archived_at = timezone.now()
    world.child.save()
    assert not Shelf.objects.visible_to(world.users["guardian"]).exists()


def test_a_teacher_sees_a_shelf_for_several_groups_when_one_of_them_is_theirs(world):
    both = make_shelf(world.school, audience="groups", groups=[world.group3, world.group6])
    assert Shelf.objects.visible_to(world.users["teacher"]).filter(pk=both.pk).exists()
    assert Shelf.objects.visible_to(world.users["guardian_other_group"]).filter(pk=both.pk).exists()


# --- Guessed ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", SIGNED_IN)
def test_ids_that_do_not_exist_are_404(client, world, documents, role):
    client.force_login(world.users[role])
    document = documents["school"]
    for url in (
        reverse("documents:shelf", args=[999999]),
        reverse("documents:folder", args=[document.shelf_id, 999999]),
        reverse("documents:detail", args=[999999]),
        reverse("documents:file", args=[999999]),
        reverse("documents:version", args=[999999, document.current_version_id]),
        reverse("documents:version", args=[document.pk, 999999]),
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", ["guardian", "teacher", "director", "board_admin"])
def test_a_version_is_only_found_under_its_own_document(client, world, documents, role):
    """Both documents are visible to the director; a version id under another document's url is not."""
    client.force_login(world.users[role])
    school, letter = documents["school"], documents["letter"]
    foreign = reverse("documents:version", args=[school.pk, letter.current_version_id])
    assert client.get(foreign).status_code == 404
    foreign = reverse("documents:version", args=[school.pk, documents["other_board"].current_version_id])
    assert client.get(foreign).status_code == 404


def test_a_folder_is_only_found_on_its_own_shelf(client, world, shelves):
    from schoolpoort.documents.models import Folder

    folder = Folder.objects.create(shelf=shelves["letter"], title="Brieven")
    client.force_login(world.users["other_guardian"])
    assert client.get(reverse("documents:folder", args=[shelves["school"].pk, folder.pk])).status_code == 404
    client.force_login(world.users["director"])
    assert client.get(reverse("documents:folder", args=[shelves["school"].pk, folder.pk])).status_code == 404
    assert client.get(folder.get_absolute_url()).status_code == 200


# --- Old versions: staff only ------------------------------------------------------------------


def test_old_versions_are_for_staff_who_see_the_shelf_parents_only_get_the_current_one(client, world, shelves):
    document = add_document(shelves["group3"], title="Rooster", data=PDF)
    old = document.current_version
    new = replace(document)
    for role, sees_old in [("guardian", N), ("other_guardian", N), ("teacher", Y), ("director", Y),
                           ("administration", Y), ("board_admin", Y), ("teacher_other_group", N)]:
        client.force_login(world.users[role])
        assert client.get(old.get_absolute_url()).status_code == (200 if sees_old else 404), role
        can_see = role != "teacher_other_group"
        assert client.get(new.get_absolute_url()).status_code == (200 if can_see else 404), role
        response = client.get(document.file_url)
        assert response.status_code == (200 if can_see else 404), role
        if can_see:
            assert body(response) == new.file.open("rb").read()


# --- The module switched off, or closed for a period --------------------------------------------


def test_documents_switched_off_is_404_for_everyone(client, world, documents):
    ModuleSwitch.objects.filter(school=world.school, module="documents").update(enabled=False)
    document = documents["school"]
    for role in ("guardian", "teacher", "administration", "director"):
        client.force_login(world.users[role])
        assert not Document.objects.visible_to(world.users[role]).exists(), role
        assert client.get(reverse("documents:list")).status_code == 404, role
        for url in (reverse("documents:shelf", args=[document.shelf_id]), document.get_absolute_url(),
                    document.file_url, document.current_version.get_absolute_url()):
            assert client.get(url).status_code == 404, (role, url)
    # The board admin still has the sister school, where documents is on; school A1's shelves are gone.
    client.force_login(world.users["board_admin"])
    page = client.get(reverse("documents:list")).content.decode()
    assert documents["sister_school"].shelf.title in page and document.shelf.title not in page
    assert client.get(document.get_absolute_url()).status_code == 404


def test_documents_closed_for_a_period_is_404_for_parents_but_not_for_staff(client, world, documents):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="documents", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=3))
    assert not Document.objects.visible_to(world.users["guardian"]).exists()
    document = documents["school"]
    client.force_login(world.users["guardian"])
    assert client.get(reverse("documents:list")).status_code == 404
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(document.file_url).status_code == 404
    client.force_login(world.users["teacher"])
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(document.file_url).status_code == 200
