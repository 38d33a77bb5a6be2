import pytest
from django.urls import reverse

from tests.factories import UserFactory

SWITCH = reverse("web:set_language")
LOGIN = reverse("accounts:login")


def test_dutch_is_the_default_even_for_a_browser_set_to_english(client, db):
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "nl"
    assert "Inloggen" in response.content.decode()


def test_the_switch_keeps_english_for_a_visitor(client, db):
    response = client.post(SWITCH, {"language": "en", "next": LOGIN})
    assert response.status_code == 302 and response["Location"] == LOGIN
    page = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in page and "Log in" in page


def test_the_switch_saves_the_language_in_the_account(client, db):
    user = UserFactory(language="nl")
    client.force_login(user)
    client.post(SWITCH, {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    client.cookies.clear()  # another device: the account decides
    client.force_login(user)
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_the_switch_does_not_redirect_off_site(client, db, next_url):
    response = client.post(SWITCH, {"language": "en", "next": next_url})
    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client, db):
    client.post(SWITCH, {"language": "xx", "next": LOGIN})
    assert client.get(LOGIN)["Content-Language"] == "nl"
