"""The register page (director and board admin only; 404 for everyone else), changing a term on
it, and the public privacy statement generated from the register."""

import pytest
from django.urls import reverse

from schoolpoort.core.models import AuditEntry
from schoolpoort.privacy.models import RetentionTerm


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("role", ["guardian", "teacher", "administration", "board_admin_other_board",
                                  "guardian_other_school"])
def test_the_register_page_does_not_exist_for_parents_teachers_and_other_staff(client, world, role):
    school = world.school.pk
    for url in (reverse("privacy:register", args=[school]), reverse("privacy:erasure", args=[school, 1])):
        assert _get(client, world.users[role], url).status_code == 404
    client.force_login(world.users[role])
    response = client.post(reverse("privacy:register", args=[school]), {"key": "albums.photos",
                           "albums.photos-amount": "1", "albums.photos-unit": "days"})
    assert response.status_code == 404
    assert not RetentionTerm.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    response = client.get(reverse("privacy:register", args=[world.school.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", ["director", "board_admin"])
def test_the_director_and_the_board_admin_see_the_register_and_change_a_term(client, world, role):
    url = reverse("privacy:register", args=[world.school.pk])
    response = _get(client, world.users[role], url)
    assert response.status_code == 200
    keys = [row["entry"].key for row in response.context["rows"]]
    assert {"albums.photos", "messaging.messages", "absences.absences", "records.notes", "core.audit",
            "accounts.accounts", "imports.files", "onboarding.letters"} <= set(keys)

    response = client.post(url, {"key": "albums.photos", "albums.photos-amount": "6",
                                 "albums.photos-unit": "months"})
    assert response.status_code == 302
    term = RetentionTerm.objects.get(school=world.school, key="albums.photos")
    assert (term.amount, term.unit) == (6, "months")
    assert AuditEntry.objects.filter(action="privacy.term_changed", actor=world.users[role]).exists()
    row = next(r for r in client.get(url).context["rows"] if r["entry"].key == "albums.photos")
    assert row["own"] and row["term"].amount == 6

    client.post(url, {"key": "albums.photos", "action": "default"})
    assert not RetentionTerm.objects.exists()


def test_a_term_must_be_a_positive_whole_number(client, world):
    client.force_login(world.users["director"])
    url = reverse("privacy:register", args=[world.school.pk])
    response = client.post(url, {"key": "albums.photos", "albums.photos-amount": "0",
                                 "albums.photos-unit": "months"})
    assert response.status_code == 200
    assert not RetentionTerm.objects.exists()
    assert client.post(url, {"key": "no.such", "no.such-amount": "3"}).status_code == 404


def test_the_privacy_statement_is_public_and_shows_the_schools_own_terms(client, world):
    RetentionTerm.objects.create(school=world.school, key="albums.photos", amount=7, unit="months")
    url = reverse("privacy:statement", args=[world.school.brin])

    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="nl">' in dutch and "School A1" in dutch  # the wording: locale-pending/retention.po

    client.cookies["django_language"] = "en"
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "7 months" in english and "Photos and videos in albums" in english
    assert "imports.files" not in english  # staff-only entries are not in the parents' statement
    assert client.get(reverse("privacy:statement", args=["99ZZ"])).status_code == 404


def test_a_parent_finds_the_statement_of_their_school_from_my_account(client, world):
    client.force_login(world.users["guardian"])
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("privacy:statements") in account
    response = client.get(reverse("privacy:statements"))
    assert response.status_code == 302 and response["Location"] == reverse("privacy:statement",
                                                                           args=[world.school.brin])


def test_the_register_page_and_the_statement_make_a_fixed_number_of_queries(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from schoolpoort.privacy.erasure import request_erasure
    from tests.factories import StudentFactory

    client.force_login(world.users["director"])
    url = reverse("privacy:register", args=[world.school.pk])
    client.get(url)  # warm: sessions, roles
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        request_erasure(StudentFactory(school=world.school), world.users["director"])
    RetentionTerm.objects.create(school=world.school, key="core.audit", amount=3, unit="months")
    RetentionTerm.objects.create(school=world.school, key="albums.photos", amount=3, unit="months")
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few) <= 21  # with the app shell's three
    client.logout()
    with CaptureQueriesContext(connection) as statement:
        client.get(reverse("privacy:statement", args=[world.school.brin]))
    assert len(statement) <= 3
