"""Two app servers behind one address, as a board runs them (issue 16): a parent's requests may
land on either, so sessions, CSRF, the login lockout and rate limits must be shared (Redis and
PostgreSQL), never kept in one process."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, make_password
from django.utils.html import escape

from tests.factories import PASSWORD, GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, enrolled_student
from tests.servers import app_servers, load_balancer, redis_server

pytestmark = pytest.mark.django_db(transaction=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One browser (one cookie jar) whose requests the test sends to either app server."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect)

    def request(self, url: str, data: dict | None = None, referer: str | None = None) -> tuple[int, str, dict]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers={"Referer": referer or url})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def csrf_token(self, page: str) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


@pytest.fixture
def redis_url():
    with redis_server() as url:
        yield url


@pytest.fixture
def parent():
    school = SchoolFactory()
    child = enrolled_student(GroupFactory(school=school, grades="3"), first_name="Noor", last_name="Jansen")
    user = UserFactory(email="jansen@ouders.example")
    # Hashed as the app servers hash (the tests' fast hasher is not among the production ones).
    user.password = make_password(PASSWORD, hasher=PBKDF2PasswordHasher())
    user.save(update_fields=["password"])
    GuardianshipFactory(student=child, user=user)
    return user


def log_in(browser: Browser, form_server: str, post_server: str, email: str, password: str) -> tuple[int, str]:
    """The login form from one server, sent to the other (the load balancer chose so)."""
    status, page, _headers = browser.request(form_server + "/inloggen/")
    assert status == 200
    status, page, headers = browser.request(
        post_server + "/inloggen/",
        {"csrfmiddlewaretoken": browser.csrf_token(page), "username": email, "password": password},
        referer=form_server + "/inloggen/",
    )
    return status, headers.get("Location", "")


def test_a_session_and_its_csrf_token_work_on_both_app_servers(settings, redis_url, parent):
    with app_servers(2, settings, REDIS_URL=redis_url, ALLOWED_HOSTS="127.0.0.1") as (a, b):
        browser = Browser()
        status, location = log_in(browser, a, b, parent.email, PASSWORD)
        assert status == 302 and "inloggen" not in location  # signed in by server B, with A's form
        for server in (a, b, a, b):  # every request of the parent may go to either server
            status, page, _headers = browser.request(server + "/")
            assert status == 200 and escape("Noor Jansen") in page
        # A form of server B, sent to server A: the same CSRF secret and session.
        _status, page, _headers = browser.request(b + "/")
        status, _page, headers = browser.request(
            a + "/uitloggen/", {"csrfmiddlewaretoken": browser.csrf_token(page)}, referer=b + "/"
        )
        assert status == 302
        status, _page, headers = browser.request(b + "/")
        assert status == 302 and "inloggen" in headers["Location"]  # logged out on both


def test_the_login_lockout_counts_the_failures_on_both_app_servers(settings, redis_url, parent):
    with app_servers(2, settings, REDIS_URL=redis_url, ALLOWED_HOSTS="127.0.0.1", LOGIN_FAILURE_LIMIT="4") as (a, b):
        browser = Browser()
        statuses = [log_in(browser, a, server, parent.email, "wrong password")[0] for server in (a, b, a, b, a)]
        # Four wrong passwords, two on each server, lock the account and address pair on both.
        assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
        status, _location = log_in(browser, b, b, parent.email, PASSWORD)
        assert status == 429  # even the right password, until the cool-off


def test_a_parent_alternating_between_servers_through_the_load_balancer_keeps_the_session(
    settings, redis_url, parent, tmp_path
):
    with (
        app_servers(2, settings, REDIS_URL=redis_url, ALLOWED_HOSTS="127.0.0.1") as servers,
        load_balancer(servers, tmp_path) as balancer,
    ):
        browser = Browser()
        status, location = log_in(browser, balancer, balancer, parent.email, PASSWORD)
        assert status == 302 and "inloggen" not in location
        served_by = []
        for _ in range(6):  # round robin per request: the parent's requests alternate between the servers
            status, page, headers = browser.request(balancer + "/")
            assert status == 200 and escape("Noor Jansen") in page
            served_by.append({k.lower(): v for k, v in headers.items()}["x-served-by"])  # HAProxy writes it lower case
        assert set(served_by) == {"app1", "app2"} and served_by[0] != served_by[1]
