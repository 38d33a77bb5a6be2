"""The product's own error pages: in the user's language, in the app shell, with a way back; and a
404 in a module the school switched off or closed says so (issue 15: "every 404 was Django's bare
English 'Not Found'")."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from schoolpoort.core.models import ModuleClosure, ModuleSwitch
from schoolpoort.web.errors import module_of_path
from tests.world import build_world


@pytest.fixture
def world(db):
    return build_world()


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])


def test_an_unknown_address_gets_the_dutch_404_page_in_the_shell_with_the_way_home(client, world):
    client.force_login(world.users["guardian"])
    response = client.get("/bestaat-niet/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'lang="nl"' in page and "We kunnen deze pagina niet vinden" in page
    assert 'class="skip-link"' in page and 'id="main"' in page  # the app shell around it
    assert f'href="{reverse("web:home")}"' in page and "Terug naar de startpagina" in page
    assert "Not Found" not in page


def test_the_404_page_speaks_english_to_an_english_user(client, world):
    english(world.users["guardian"])
    client.force_login(world.users["guardian"])
    page = client.get("/does-not-exist/").content.decode()
    assert 'lang="en"' in page and "We can't find this page" in page.replace("&#x27;", "'")


def test_a_missing_item_in_a_module_leads_back_to_that_modules_list(client, world):
    client.force_login(world.users["guardian"])
    response = client.get(reverse("albums:list") + "999999/")
    assert response.status_code == 404
    page = response.content.decode()
    assert f'href="{reverse("albums:list")}"' in page and "We kunnen deze pagina niet vinden" in page


def test_a_module_the_school_switched_off_says_the_school_closed_it(client, world):
    ModuleSwitch.objects.filter(school=world.school, module="albums").update(enabled=False)
    client.force_login(world.users["guardian"])
    response = client.get(reverse("albums:list"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Je school heeft" in page and "uitgezet" in page
    assert f'href="{reverse("web:home")}"' in page


def test_a_module_closed_for_a_period_gives_the_schools_message_and_the_end(client, world):
    today = timezone.localdate()
    ModuleClosure.objects.create(school=world.school, module="albums", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=3), message="Even dicht: rapporten.")
    client.force_login(world.users["guardian"])
    page = client.get(reverse("albums:list")).content.decode()
    assert "Even dicht: rapporten." in page and "tijdelijk gesloten" in page


def test_the_closed_notice_is_never_given_where_the_module_is_open(client, world):
    # Staff of the school still use a closed module; a parent of another school, where it is on,
    # gets the plain 404 for an item that is not theirs: nothing about the other school leaks.
    client.force_login(world.users["guardian_other_school"])
    page = client.get(reverse("albums:list") + "999999/").content.decode()
    assert "Je school heeft" not in page and "We kunnen deze pagina niet vinden" in page


def test_anonymous_visitors_get_the_page_too(client, db):
    response = client.get("/bestaat-niet/")
    assert response.status_code == 404 and "We kunnen deze pagina niet vinden" in response.content.decode()


def test_module_of_path_takes_the_longest_start_page():
    assert module_of_path(reverse("albums:list") + "12/").code == "albums"
    assert module_of_path("/inloggen/") is None


@pytest.mark.urls("tests.web.urls_errors")
def test_a_bug_shows_the_500_page_without_the_details(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["guardian"])
    response = client.get("/test-boom/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Er ging iets mis aan onze kant" in page and "RuntimeError" not in page
    assert 'class="skip-link"' in page


@pytest.mark.urls("tests.web.urls_errors")
def test_permission_denied_shows_the_403_page(client, world):
    client.force_login(world.users["teacher"])
    response = client.get("/test-forbidden/")
    assert response.status_code == 403 and "Dit kan hier niet" in response.content.decode()


def test_a_form_without_its_csrf_token_gets_the_explained_page(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["guardian"])
    response = client.post(reverse("web:set_language"), {"language": "en"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Het formulier stond te lang open" in page and "CSRF verification failed" not in page


def test_a_bad_host_gets_the_400_page(client, db):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "We konden dit verzoek niet lezen" in response.content.decode()


def test_the_offline_page_has_the_same_look(client, db):
    with translation.override("nl"):
        page = client.get(reverse("web:offline")).content.decode()
    assert 'class="error-card"' in page and "Je bent offline" in page
