"""Sign in on the phone by QR code (accounts/phone_link.py): the computer shows a code, the phone
opens it, the computer confirms, the phone is signed in. Two clients: the computer and the phone."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from schoolpoort.accounts import phone_link, second_factor
from schoolpoort.accounts.models import PhoneLink
from schoolpoort.core.models import AuditEntry, StaffMembership
from tests.accounts.accounts_helpers import log_in
from tests.factories import PASSWORD, StaffMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("accounts:account")
START = reverse("accounts:phone_link_start")
WAIT = reverse("accounts:phone_link_wait")
HOME = reverse("web:home")
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)
DATA_URL = re.compile(r'data-url="([^"]+)"')


@pytest.fixture
def computer(client, parent):
    client.force_login(parent)
    return client


@pytest.fixture
def phone():
    return Client(HTTP_USER_AGENT=ANDROID)


def show_code(computer) -> tuple[PhoneLink, str]:
    """Click "Show QR code"; (the link, the path the QR code holds)."""
    response = computer.post(START, {"password": PASSWORD})
    assert response.status_code == 200
    url = DATA_URL.search(response.content.decode()).group(1)
    assert url.startswith("http://testserver/inloggen/telefoon/")
    assert 'src="data:image/svg+xml' in response.content.decode()
    link = PhoneLink.objects.latest("pk")
    return link, urlsplit(url).path


def scan(phone, path) -> PhoneLink:
    response = phone.get(path)
    assert response.status_code == 302 and response["Location"] == WAIT
    return PhoneLink.objects.latest("pk")


def status(computer, link):
    return computer.get(reverse("accounts:phone_link_status", args=[link.pk]))


def confirm(computer, link, action="confirm"):
    return computer.post(reverse("accounts:phone_link_answer", args=[link.pk]), {"action": action})


def signed_in_as(client):
    response = client.get(ACCOUNT)
    return response.status_code == 200 and response.wsgi_request.user


def test_the_whole_flow_signs_the_phone_in(computer, phone, parent):
    link, path = show_code(computer)
    assert status(computer, link).content.decode().count('data-status="waiting"') == 1

    scan(phone, path)
    waiting = phone.get(WAIT)
    link.refresh_from_db()
    assert link.status == "scanned" and re.fullmatch(r"\d{3}", link.match_code)
    assert f'id="phone-link-match-code">{link.match_code}<' in waiting.content.decode()
    assert 'hx-trigger="every 2s"' in waiting.content.decode()  # the phone polls
    assert not signed_in_as(phone)

    asking = status(computer, link).content.decode()
    assert "Chrome op Android" in asking and link.match_code in asking and 'id="phone-link-confirm"' in asking

    assert confirm(computer, link).status_code == 302
    asking = phone.get(WAIT, HTTP_HX_REQUEST="true").content.decode()  # the phone's next poll
    # The phone says whose account it would log in to, and waits for its own tap.
    assert escape(parent.get_full_name()) in asking and 'id="phone-link-sign-in"' in asking
    assert not signed_in_as(phone)
    response = phone.post(WAIT)
    assert response.status_code == 302 and response["Location"] == HOME  # the manifest's start_url
    assert signed_in_as(phone) == parent
    assert phone.get(HOME).status_code == 200

    link.refresh_from_db()
    assert link.status == "signed_in" and link.session_key == phone.session.session_key
    assert AuditEntry.objects.filter(action=phone_link.LINKED_ACTION, actor=parent, object_id=str(link.pk)).exists()
    # The phone is listed on Mijn account with its device.
    page = computer.get(ACCOUNT).content.decode()
    assert f'data-phone-link="{link.pk}"' in page and "Chrome op Android" in page


def test_without_javascript_a_reload_does_the_same(computer, phone, parent):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    assert 'id="phone-link-sign-in"' in phone.get(WAIT).content.decode()
    response = phone.post(WAIT)
    assert response.status_code == 302 and response["Location"] == HOME
    assert signed_in_as(phone) == parent


def test_a_link_sent_by_someone_else_never_signs_the_phone_in_silently(computer, phone, parent):
    """Login CSRF: someone sends a parent the link of their own code and confirms it on their own
    computer. The parent's phone only shows whose account it is; it never signs in on a GET."""
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    for _poll in range(3):
        assert phone.get(WAIT).status_code == 200
    assert not signed_in_as(phone)
    assert PhoneLink.objects.get(pk=link.pk).status == "confirmed"


def test_showing_a_code_asks_for_the_password_again(computer):
    response = computer.post(START, {"password": "not the password"})
    assert response.status_code == 302 and response["Location"].endswith("#link-phone")
    assert not PhoneLink.objects.exists()
    assert computer.post(START).status_code == 302 and not PhoneLink.objects.exists()


def test_the_phone_gets_a_new_session_key(computer, phone):
    phone.get(reverse("accounts:login"))  # an anonymous session an attacker might have planted
    link, path = show_code(computer)
    scan(phone, path)
    before = phone.session.session_key
    confirm(computer, link)
    phone.post(WAIT)
    assert phone.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def test_the_code_works_once(computer, phone):
    link, path = show_code(computer)
    scan(phone, path)
    # The phone that scanned may open it again and keeps waiting.
    assert phone.get(path)["Location"] == WAIT
    confirm(computer, link)
    phone.post(WAIT)
    assert PhoneLink.objects.get(pk=link.pk).status == "signed_in"
    second_phone = Client(HTTP_USER_AGENT=ANDROID)
    response = second_phone.get(path)
    assert response.status_code == 410 and 'data-status="used"' in response.content.decode()


def test_a_code_opened_on_a_second_phone_is_stopped_for_both(computer, phone):
    """One of two phones that opened the code is not the parent's, and nothing tells which."""
    link, path = show_code(computer)
    scan(phone, path)
    thief = Client(HTTP_USER_AGENT=ANDROID)
    response = thief.get(path)
    assert response.status_code == 410 and 'data-status="contested"' in response.content.decode()
    assert PhoneLink.objects.get(pk=link.pk).status == "contested"
    assert 'data-status="contested"' in status(computer, link).content.decode()
    confirm(computer, link)  # too late: nothing to confirm
    assert 'data-status="contested"' in phone.get(WAIT).content.decode()
    phone.post(WAIT)
    assert not signed_in_as(phone) and not signed_in_as(thief)


def test_a_confirmation_signs_in_once(computer, phone):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    assert not phone_link.answer(None, PhoneLink.objects.get(pk=link.pk), True)  # nothing left to answer


def test_an_expired_code_is_refused_with_a_clear_message(computer, phone, monkeypatch):
    link, path = show_code(computer)
    later = timezone.now() + phone_link.LIFETIME + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)  # the clock moves on two minutes
    response = phone.get(path)
    assert response.status_code == 410
    html = response.content.decode()
    assert 'data-status="expired"' in html and "<h1>" in html
    assert not signed_in_as(phone)
    assert 'data-status="expired"' in status(computer, link).content.decode()


def test_a_code_still_works_just_before_two_minutes(computer, phone, monkeypatch):
    link, path = show_code(computer)
    later = timezone.now() + phone_link.LIFETIME - datetime.timedelta(seconds=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    scan(phone, path)


def test_a_confirmation_too_late_does_not_sign_in(computer, phone, monkeypatch):
    link, path = show_code(computer)
    scan(phone, path)
    later = timezone.now() + phone_link.LIFETIME + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    confirm(computer, link)
    assert PhoneLink.objects.get(pk=link.pk).status == "scanned"
    response = phone.post(WAIT)
    assert 'data-status="expired"' in response.content.decode()
    assert not signed_in_as(phone)


def test_the_expiry_is_checked_with_the_clock_passed(parent):
    link, token = phone_link.start(parent)
    with pytest.raises(phone_link.LinkProblem) as problem:
        phone_link.claim(token, ANDROID, now=link.created_at + phone_link.LIFETIME)
    assert problem.value.reason == "expired"
    assert phone_link.claim(token, ANDROID, now=link.created_at + datetime.timedelta(seconds=119)).link == link


def test_a_wrong_secret_is_unknown(computer, phone):
    link, path = show_code(computer)
    response = phone.get(path[:-3] + "xyz/")
    assert response.status_code == 404
    assert PhoneLink.objects.get(pk=link.pk).status == "waiting"


def test_only_a_hash_of_the_secret_is_stored(parent):
    link, token = phone_link.start(parent)
    selector, secret = token.split(".")
    assert link.selector == selector and secret not in link.secret_hash and len(link.secret_hash) == 64


def test_refused_leaves_the_phone_signed_out(computer, phone):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link, action="refuse")
    response = phone.get(WAIT)
    assert 'data-status="refused"' in response.content.decode()
    assert not signed_in_as(phone)
    assert 'data-status="refused"' in status(computer, link).content.decode()


def test_another_users_link_is_a_404(computer, phone):
    link, path = show_code(computer)
    scan(phone, path)
    other = Client()
    other.force_login(UserFactory())
    for response in (
        other.get(reverse("accounts:phone_link_status", args=[link.pk])),
        other.post(reverse("accounts:phone_link_answer", args=[link.pk]), {"action": "confirm"}),
        other.post(reverse("accounts:phone_link_end", args=[link.pk])),
    ):
        assert response.status_code == 404
    assert PhoneLink.objects.get(pk=link.pk).status == "scanned"


def test_another_users_phone_link_cannot_be_ended(computer, phone, parent):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    phone.post(WAIT)
    other = Client()
    other.force_login(UserFactory())
    assert other.post(reverse("accounts:phone_link_end", args=[link.pk])).status_code == 404
    assert signed_in_as(phone) == parent


def test_ending_the_phone_on_my_account_ends_its_session(computer, phone, parent):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    phone.post(WAIT)
    assert signed_in_as(phone) == parent

    response = computer.post(reverse("accounts:phone_link_end", args=[link.pk]))
    assert response["Location"] == ACCOUNT
    assert not signed_in_as(phone)
    assert signed_in_as(computer) == parent  # the computer stays signed in
    assert f'data-phone-link="{link.pk}"' not in computer.get(ACCOUNT).content.decode()
    assert AuditEntry.objects.filter(action=phone_link.ENDED_ACTION, object_id=str(link.pk)).exists()


def test_log_out_on_all_devices_ends_the_phone_and_its_listing(computer, phone, parent):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    phone.post(WAIT)
    computer.post(ACCOUNT, {"action": "sessions"})
    assert not signed_in_as(phone)
    assert f'data-phone-link="{link.pk}"' not in computer.get(ACCOUNT).content.decode()


def test_a_new_code_replaces_the_waiting_one(computer, phone):
    first, first_path = show_code(computer)
    show_code(computer)
    assert phone.get(first_path).status_code == 410
    assert PhoneLink.objects.get(pk=first.pk).status == "cancelled"


def test_showing_a_code_needs_a_signed_in_session(client):
    assert client.post(START)["Location"].startswith(reverse("accounts:login"))


def test_showing_a_code_is_a_post(computer):
    assert computer.get(START).status_code == 405


def test_staff_need_the_second_factor_before_showing_a_code(client):
    teacher = StaffMembershipFactory(role=StaffMembership.Role.TEACHER).user
    client.force_login(teacher, second_factor=False)
    response = client.post(START)
    assert response.status_code == 302 and "tweede-factor" in response["Location"]
    assert not PhoneLink.objects.exists()


def test_a_parent_with_an_app_must_have_used_it(client, parent):
    from tests.accounts.accounts_helpers import app_for

    app_for(parent)
    client.force_login(parent, second_factor=False)
    session = client.session
    session.pop(second_factor.PENDING_KEY, None)  # even past the middleware, the view asks
    session.save()
    assert client.post(START, {"password": PASSWORD}).status_code == 403
    assert not PhoneLink.objects.exists()


def test_a_teachers_phone_counts_as_verified_because_the_computer_was(client, phone):
    teacher = StaffMembershipFactory(role=StaffMembership.Role.TEACHER).user
    from tests.accounts.accounts_helpers import app_for

    app_for(teacher)
    log_in(client, teacher.email)  # password and code from the app
    link, path = show_code(client)
    scan(phone, path)
    confirm(client, link)
    assert PhoneLink.objects.get(pk=link.pk).verified
    phone.post(WAIT)
    assert phone.session[second_factor.VERIFIED_KEY] == teacher.pk
    assert signed_in_as(phone) == teacher  # not sent to the code step
    # Staff keep their idle timeout on the phone too.
    assert phone.session.get_expiry_age() <= 30 * 60


def test_a_parent_phone_stays_signed_in_like_remember_me(computer, phone, settings):
    link, path = show_code(computer)
    scan(phone, path)
    confirm(computer, link)
    phone.post(WAIT)
    assert phone.session.get_expiry_age() == settings.PARENT_SESSION_DAYS * 24 * 60 * 60


def test_making_codes_is_rate_limited(computer):
    for _ in range(10):
        assert computer.post(START, {"password": PASSWORD}).status_code == 200
    assert computer.post(START, {"password": PASSWORD}).status_code == 429


def test_polling_is_rate_limited(computer, phone):
    link, path = show_code(computer)
    scan(phone, path)
    for _ in range(120):
        phone.get(WAIT)
    assert phone.get(WAIT).status_code == 429


def test_the_qr_url_is_https_when_the_site_is(computer, settings):
    settings.SITE_URL = "https://ouders.example"
    response = computer.post(START, {"password": PASSWORD}, secure=True)
    assert DATA_URL.search(response.content.decode()).group(1).startswith("https://testserver/inloggen/telefoon/")
    settings_http = computer.post(START, {"password": PASSWORD})
    assert DATA_URL.search(settings_http.content.decode()).group(1).startswith("https://")


def test_my_account_offers_it_with_a_fixed_number_of_queries(computer, parent, django_assert_max_num_queries):
    page = computer.get(ACCOUNT).content.decode()
    assert 'id="phone-link-start"' in page and 'id="link-phone-heading"' in page
    for _ in range(3):
        phone = Client(HTTP_USER_AGENT=ANDROID)
        link, path = show_code(computer)
        scan(phone, path)
        confirm(computer, link)
        phone.post(WAIT)
    with django_assert_max_num_queries(20):
        page = computer.get(ACCOUNT).content.decode()
    assert page.count("data-phone-link=") == 3 and escape("Chrome op Android") in page


def test_old_unused_codes_are_cleared_when_a_new_one_is_made(parent):
    old, _token = phone_link.start(parent, now=timezone.now() - datetime.timedelta(days=2))
    phone_link.start(parent)
    assert not PhoneLink.objects.filter(pk=old.pk).exists()


def test_an_anonymised_account_keeps_no_phone_links(parent):
    from schoolpoort.accounts.personal_data import anonymise

    phone_link.start(parent)
    anonymise([parent])
    assert not PhoneLink.objects.filter(user=parent).exists()
