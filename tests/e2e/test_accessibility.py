"""Accessible to everyone (WCAG 2.1 AA): every page each demo role can reach passes axe-core with no
serious or critical violation, at 360 x 740 and at 1280 x 800, and nothing scrolls sideways on the
360 px phone.

Per role one browser context and one login: the crawl starts at home and follows the same-origin
links of the navigation and the main content (one page per URL pattern: ``/nieuws/12/`` stands for
every post), up to a cap, beside a fixed list of the detail pages that matter (a news post, an album,
a photo, a conference round, a sign-up form, a message thread, a child's records and results). Each
page is loaded once and checked at both sizes by resizing the viewport. Links that log out, delete,
download or export are not followed.

The demo school is built once for the whole module and served by a live server of its own (the
shared ``live_server`` would flush the database after every test); the database is flushed when
the module is done, as after any transactional test."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.test.utils import override_settings
from playwright.sync_api import expect

from tests.e2e.a11y import axe_problems, scroll_width, settled
from tests.e2e.test_foundation_flows import log_in

# The marker makes pytest-django create the test database; the module's own ``_django_db_helper``
# below keeps it from wrapping each test in a transaction or flushing after it.
# The group keeps the module on one worker under ``pytest -n 2 --dist loadgroup``: one world.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("accessibility")]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
PAGES_PER_ROLE = 40  # new URL patterns a role's crawl follows, beside the fixed list

PARENTS = [
    "jansen@ouders.example", "devries@ouders.example", "bakker@ouders.example",
    "elmoussaoui@ouders.example", "smit@ouders.example",
]
STAFF = [
    "leerkracht.groep3@regenboog.example", "leerkracht.groep6@regenboog.example",
    "leerkracht.groep5@deark.example", "administratie@regenboog.example", "directie@regenboog.example",
    "bestuur@stichting.example",
]

# Never followed: leaving, destroying, files and feeds (not HTML pages), and Django's own admin.
SKIP = re.compile(
    r"/(uitloggen|verwijderen|download|bestand|exporteren|export|afmelden|intrekken|annuleren|dempen|sluiten"
    r"|melden/\d|herinneren|publiceren|push|sw\.js|manifest)\b"
    r"|\.(ics|csv|zip|pdf|jpg|jpeg|png|svg|webmanifest)$|/video$|/bijlagen/|/medewerkers/foto/|^/beheer/django/"
    r"|^/static/|^/media/|^/taal/"
)


# The first element Tab reaches is a link to the page's <main>.
SKIP_LINK_FIRST = """() => {
  const first = document.querySelector(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  if (!first || !first.matches('a[href^="#"]')) return false;
  const target = document.getElementById(first.getAttribute('href').slice(1));
  return target !== null && target.tagName === 'MAIN';
}"""


def pattern(path: str) -> str:
    """The URL pattern a path is an instance of: ``/nieuws/12/`` and ``/nieuws/13/`` are one page."""
    return re.sub(r"/\d+(?=/|$)", "/N", path)


# --- the world ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo school, built (or restored: tests/demo_snapshot.py) once, and a live server of the
    module's own in front of it."""
    from django_scopes import scopes_disabled
    from pytest_django.live_server_helper import LiveServer

    from tests import demo_snapshot

    media = tmp_path_factory.mktemp("a11y-media")
    fast = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, scopes_disabled():
        demo = demo_snapshot.demo_school()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield demo, server, media
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)  # the next module starts empty
            demo_snapshot.after_test()
            connections.close_all()


@pytest.fixture
def _django_db_helper(world):
    """Every test of the module works on the one world (pytest-django's helper would flush it)."""
    yield


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, world):
    """The demo's photos live in the module's media folder (not one per test)."""
    settings.MEDIA_ROOT = world[2]


@pytest.fixture(autouse=True)
def _close_extra_phones(request):
    """No database fixture here (it would flush the module's world after the first test); the
    contexts a test opens close when it ends."""
    browser = request.getfixturevalue("browser")
    yield
    for context in list(browser.contexts):
        context.close()


# --- the fixed detail pages -----------------------------------------------------------------------

def important_pages(email: str) -> list[str]:
    """The detail pages that matter for this user, whether or not the crawl reaches them."""
    from schoolpoort.accounts.models import User
    from schoolpoort.albums.models import Album, Photo
    from schoolpoort.conferences.models import Round
    from schoolpoort.core.access import guardian_student_ids
    from schoolpoort.messaging.models import Conversation
    from schoolpoort.news.models import Post
    from schoolpoort.signups.models import Form

    user = User.objects.get(email__iexact=email)
    urls = ["/", "/mijn-account/", "/mijn-account/gegevens/", "/meldingen/", "/meldingen/voorkeuren/",
            "/bestaat-niet/"]
    for queryset, url in [
        (Post.objects.visible_to(user), "/nieuws/{}/"),
        (Album.objects.visible_to(user), "/fotoalbums/{}/"),
        (Round.objects.visible_to(user), "/gesprekken/{}/"),
        (Form.objects.visible_to(user), "/intekenen/{}/"),
        (Conversation.objects.visible_to(user), "/berichten/{}/"),
    ]:
        first = queryset.order_by("pk").values_list("pk", flat=True).first()
        if first is not None:
            urls.append(url.format(first))
    photo = Photo.objects.visible_to(user).order_by("pk").values_list("album_id", "pk").first()
    if photo:
        urls.append("/fotoalbums/{}/foto/{}/".format(*photo))
    for student_id in sorted(row["student_id"] for row in guardian_student_ids(user))[:1]:
        urls += [f"/leerling/{student_id}/", f"/resultaten/{student_id}/rapporten/",
                 f"/resultaten/{student_id}/methodetoetsen/", f"/resultaten/{student_id}/toetsen/",
                 "/absenties/melden/"]
    return urls


# --- the crawl ------------------------------------------------------------------------------------

class Crawl:
    """Visits pages in one signed-in context and keeps what it found. ``covered`` is shared by the
    roles of one kind (the five parents, the three teachers): a URL pattern one parent's crawl has
    checked is not crawled again for the next, but the fixed pages are checked for every role."""

    def __init__(self, page, base_url: str, covered: set[str] | None = None):
        self.page = page
        self.base = base_url
        self.host = urlsplit(base_url).netloc
        self.covered = covered if covered is not None else set()
        self.seen: set[str] = set()
        self.found = 0  # patterns this crawl reached first
        self.checked: list[str] = []
        self.problems: list[str] = []

    def local_path(self, href: str) -> str | None:
        parts = urlsplit(urljoin(self.base + "/", href))
        if parts.netloc != self.host or parts.scheme not in ("http", "https"):
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return None if SKIP.search(parts.path) else path

    def check(self, path: str, expect_status: int | None = None) -> list[str]:
        """Checks one page at both sizes; answers the local links of its navigation and main."""
        page = self.page
        page.set_viewport_size(PHONE)
        response = page.goto(self.base + path)
        status = response.status if response else 0
        if not (response and "text/html" in response.headers.get("content-type", "")):
            return []
        if status >= 500 or (expect_status and status != expect_status):
            self.problems.append(f"{path}: answered {status}")
        self.look(path, status == 200)
        hrefs = page.eval_on_selector_all(
            "header nav a[href], main a[href]", "links => links.map(link => link.getAttribute('href'))")
        return [p for p in (self.local_path(href) for href in hrefs) if p]

    def look(self, label: str, skip_link: bool = True):
        """Checks the page as it is now at both sizes (it is left at 1280 px)."""
        page = self.page
        page.set_viewport_size(PHONE)
        settled(page)
        self.checked.append(label)
        self.problems += axe_problems(page, label=f"{label} @360")
        if skip_link and not page.evaluate(SKIP_LINK_FIRST):
            self.problems.append(f"{label}: the first stop of the keyboard is not a skip link to <main>")
        width = scroll_width(page)
        if width > PHONE["width"] + 1:
            self.problems.append(f"{label} @360: scrolls sideways ({width} px wide)")
        page.set_viewport_size(DESKTOP)
        settled(page)
        self.problems += axe_problems(page, label=f"{label} @1280")

    def run(self, fixed: list[str], cap: int = PAGES_PER_ROLE):
        """The fixed pages, then what their links lead to, breadth first, one page per pattern."""
        queue = list(fixed)
        while queue:
            path = queue.pop(0)
            key = pattern(path.split("?")[0])
            if path in self.seen or (path not in fixed and (key in self.covered or self.found >= cap)):
                continue
            self.seen.add(path)
            self.found += key not in self.covered and path not in fixed
            self.covered.add(key)
            queue += [link for link in self.check(path) if link not in self.seen]

    def assert_clean(self):
        assert not self.problems, (
            f"{len(self.problems)} problems on {len(self.checked)} pages:\n" + "\n".join(self.problems))


COVERED: dict[str, set[str]] = {}  # URL patterns checked so far, per kind of role


def kind(email: str) -> str:
    return "parent" if email in PARENTS else email.split(".")[0].split("@")[0]


@pytest.mark.parametrize("email", PARENTS + STAFF)
def test_every_page_of_a_role_passes_axe_at_both_sizes(world, browser, email, capsys):
    base = world[1].url
    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    log_in(page, base, email)
    expect(page).to_have_url(f"{base}/")
    crawl = Crawl(page, base, COVERED.setdefault(kind(email), set()))
    crawl.run(important_pages(email))
    with capsys.disabled():
        print(f"\n{email}: {len(crawl.checked)} pages checked, {len(crawl.problems)} problems")
    crawl.assert_clean()


def test_every_public_page_passes_axe_at_both_sizes(world, browser, capsys):
    demo, server, _media = world
    base = server.url
    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    crawl = Crawl(page, base)
    crawl.run(["/inloggen/", "/wachtwoord-vergeten/", "/aanmelding/hulp/", "/privacy/",
               f"/registreren/?code={demo.registration_code}", "/registreren/", "/offline/"])
    crawl.check("/bestaat-niet/", expect_status=404)

    def submit():
        page.click("main form.card button[type=submit]")
        page.wait_for_load_state()

    # A form that comes back with its errors: the registration with nothing filled in.
    page.goto(f"{base}/registreren/")
    submit()
    crawl.look("/registreren/ (errors)")
    # A forgotten password: the page after asking, and the page of the e-mailed link.
    mail.outbox.clear()
    page.goto(f"{base}/wachtwoord-vergeten/")
    page.fill("input[name=email]", "smit@ouders.example")
    submit()
    crawl.look("/wachtwoord-vergeten/ (sent)")
    (message,) = mail.outbox
    page.goto(base + re.search(r"https?://[^/\s]+(/wachtwoord-vergeten/[^\s]+/)", message.body).group(1))
    crawl.look("/wachtwoord-vergeten/<link>/")
    # A wrong password, and the second factor's page of a staff member.
    log_in(page, base, "jansen@ouders.example", "niet-het-wachtwoord")
    crawl.look("/inloggen/ (wrong password)")
    page.goto(f"{base}/inloggen/")
    page.fill("input[name=username]", "directie@regenboog.example")
    page.fill("input[name=password]", demo.password)
    submit()
    expect(page).to_have_url(re.compile(r"/inloggen/tweede-factor/"))
    crawl.look("/inloggen/tweede-factor/")
    # The registration to its end, on a phone of its own: the new parent's first home page.
    page = context.browser.new_context(viewport=PHONE, locale="nl-NL").new_page()
    crawl.page = page
    page.goto(f"{base}/registreren/?code={demo.registration_code}")
    for name, value in [("first_name", "Anna"), ("last_name", "Visser"), ("email", "anna.visser@ouders.example"),
                        ("password1", "Een-lang-wachtwoord-42"), ("password2", "Een-lang-wachtwoord-42")]:
        page.fill(f"input[name={name}]", value)
    submit()
    expect(page).to_have_url(f"{base}/")
    crawl.look("/ (just registered)")
    with capsys.disabled():
        print(f"\nanonymous: {len(crawl.checked)} pages checked, {len(crawl.problems)} problems")
    crawl.assert_clean()


# --- the keyboard alone ---------------------------------------------------------------------------

FOCUSED = """() => {
  const el = document.activeElement;
  const shows = node => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || (style.boxShadow && style.boxShadow !== 'none');
  };
  // A control drawn by its label (a hidden radio inside a styled label) shows focus on the label;
  // a card whose title link has focus shows it around the card (:focus-within).
  const around = [];
  if (el.labels && el.labels.length) around.push(el.labels[0]);
  for (let node = el.parentElement, up = 0; node && up < 4; node = node.parentElement, up++) around.push(node);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, href: el.getAttribute('href'), name: el.getAttribute('name'),
    value: el.value === undefined ? null : String(el.value), type: el.getAttribute('type'),
    text: (el.innerText || '').trim().slice(0, 60),
    visible: shows(el) || around.some(shows),
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_until(page, wanted, limit: int = 60, key: str = "Tab") -> dict:
    """Presses Tab (or Shift+Tab) until the focused element is ``wanted``; every element passed on
    the way must show that it has focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        now = focused(page)
        assert now["visible"], f"no visible focus indicator on {now} ({page.url})"
        if wanted(now):
            return now
    raise AssertionError(f"{limit} x {key} did not reach the element on {page.url}")


def test_a_parent_uses_the_menu_and_reports_a_child_sick_with_the_keyboard_alone(world, browser):
    from schoolpoort.absences.models import Absence

    demo, server, _media = world
    base = server.url
    daan = demo.students["Daan Smit"]
    before = Absence.objects.filter(student=daan).count()
    context = browser.new_context(viewport=PHONE, locale="nl-NL", timezone_id="Europe/Amsterdam")
    page = context.new_page()
    log_in(page, base, "smit@ouders.example")
    expect(page).to_have_url(f"{base}/")

    # The first Tab shows the skip link; Enter takes focus to the main content.
    skip = tab_until(page, lambda el: True, limit=1)
    assert skip["href"] == "#main", skip
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    # The tab bar (after the main content, as it sits at the bottom): open Messages, and come home.
    tab_until(page, lambda el: el["href"] == "/berichten/", limit=120)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/berichten/")
    tab_until(page, lambda el: el["href"] == "/" and el["text"] != "Schoolpoort")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/")

    # From the home page's absences block to the form.
    tab_until(page, lambda el: el["href"] == "/absenties/melden/")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/absenties/melden/")
    expect(page.locator(f"input[name=student][value='{daan.pk}']")).to_be_checked()  # the only child

    # The reason: a radio group, chosen with Space; a note; sent with Enter on the button.
    tab_until(page, lambda el: el["name"] == "reason")
    if focused(page)["value"] != "sick":
        tab_until(page, lambda el: el["name"] == "reason" and el["value"] == "sick", key="ArrowDown", limit=6)
    page.keyboard.press("Space")
    expect(page.locator("input[name=reason][value=sick]")).to_be_checked()
    tab_until(page, lambda el: el["name"] == "note")
    page.keyboard.type("Daan heeft koorts.")
    tab_until(page, lambda el: el["tag"] == "button" and el["type"] == "submit")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/absenties/")
    expect(page.locator("#current-absences .absences-item")).to_contain_text("Daan")
    assert Absence.objects.filter(student=daan).count() == before + 1
