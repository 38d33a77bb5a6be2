"""The app shell (web/shell.py, web/_topbar.html, web/_tabbar.html): the tabs with their unread
counts in a constant number of queries, the current tab marked, tabs only for modules the user can
use, the "More" page with every module and the staff's tools, and the parents' home timeline
(what needs them first, news and new photos; photos only as the image consent rule allows)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from schoolpoort.core.counts import counts_changed
from schoolpoort.core.models import ModuleSwitch
from schoolpoort.messaging import actions as messaging_actions
from schoolpoort.notify.api import mark_read
from tests.albums.helpers import add_photo, consent, make_album
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.messaging.helpers import teacher_thread
from tests.notify.notify_helpers import fan_out_now, send
from tests.world import build_world

HOME = reverse("web:home")
MORE = reverse("web:more")

# The home page's queries before the shell (measured on the commit before it, same world: 31, 31,
# 28, 28), lowered since by the reach cache (the user's reach, schools and modules kept across
# requests): the shell may not make it dearer.
HOME_QUERIES_BEFORE = {"guardian": 16, "teacher": 18, "director": 17, "board_admin": 17}


@pytest.fixture
def world(db):
    return build_world()


def get(client, user, url=HOME):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def tabbar(page: str) -> str:
    return page[page.index('<nav class="tabbar"'):].split("</nav>")[0]


def tabs(page: str) -> dict[str, str]:
    """data-tab -> the tab's HTML."""
    return dict(re.findall(r'data-tab="(\w+)"(.*?)</a>', tabbar(page), re.S))


def news_notifications(user, count):
    for index in range(count):
        fan_out_now(send([user], key=f"news.post:{index}", title=f"Bericht {index}", url=f"/nieuws/{index}/"))


def test_a_parent_has_five_tabs_with_start_marked_on_the_home_page(client, world):
    page = get(client, world.users["guardian"])
    found = tabs(page)
    assert list(found) == ["home", "news", "agenda", "messages", "more"]
    assert 'aria-current="page"' in found["home"]
    assert all('aria-current' not in html for key, html in found.items() if key != "home")
    assert 'class="with-tabbar"' in page or " with-tabbar" in page


@pytest.mark.parametrize("url, tab", [
    (reverse("news:feed"), "news"),
    (reverse("calendar:list"), "agenda"),
    (reverse("messaging:inbox"), "messages"),
    (MORE, "more"),
    (reverse("albums:list"), "more"),  # a module reached through "More"
])
def test_the_current_tab_is_marked_on_each_module(client, world, url, tab):
    found = tabs(get(client, world.users["guardian"], url))
    assert [key for key, html in found.items() if 'aria-current="page"' in html] == [tab]


def test_the_tabs_count_unread_news_and_unread_conversations(client, world):
    guardian = world.users["guardian"]
    guardian.language = "en"
    guardian.save(update_fields=["language"])
    news_notifications(guardian, 3)
    thread = teacher_thread(world, subject="Vraag")
    messaging_actions.post_message(thread, world.users["teacher"], "Antwoord")
    found = tabs(get(client, guardian))
    assert '<span class="tabbar__count" aria-hidden="true">3</span>' in found["news"]
    assert '<span class="tabbar__count" aria-hidden="true">1</span>' in found["messages"]
    assert ", 3 unread" in found["news"]  # the count read out, for screen readers
    mark_read(guardian, "news.post:0")  # opening a post reads its notification
    assert '<span class="tabbar__count" aria-hidden="true">2</span>' in tabs(get(client, guardian))["news"]


def test_a_tab_shows_only_where_its_module_is_switched_on(client, world):
    ModuleSwitch.objects.filter(school=world.school, module__in=["messaging", "calendar"]).update(enabled=False)
    page = get(client, world.users["guardian"])
    assert list(tabs(page)) == ["home", "news", "more"]
    assert reverse("messaging:inbox") not in page


def test_the_top_bar_is_the_school_the_bell_and_the_account(client, world):
    page = get(client, world.users["guardian"])
    header = page[page.index('<header class="topbar">'):page.index("</header>")]
    assert escape(world.school.name) in header
    assert reverse("notify:list") in header and reverse("accounts:account") in header
    assert reverse("accounts:logout") in header


def test_anonymous_visitors_get_no_tabs_and_the_more_page_sends_them_to_log_in(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert 'class="tabbar"' not in page
    response = client.get(MORE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_more_lists_the_modules_of_the_user_and_no_switched_off_one(client, world):
    ModuleSwitch.objects.filter(school=world.school, module="documents").update(enabled=False)
    page = get(client, world.users["guardian"], MORE)
    for url in ["news:feed", "calendar:list", "messaging:inbox", "albums:list", "absences:index"]:
        assert f'href="{reverse(url)}"' in page, url
    assert 'data-module="documents"' not in page
    assert f'href="{reverse("staff:index")}"' in page and f'href="{reverse("timetable:index")}"' in page
    assert reverse("core:modules", args=[world.school.pk]) not in page  # no staff tools for a parent


def test_more_gives_the_director_the_tools_of_the_school(client, world):
    page = get(client, world.users["director"], MORE)
    assert reverse("core:modules", args=[world.school.pk]) in page
    assert reverse("accounts:guardians", args=[world.school.pk]) in page


@pytest.mark.parametrize("role", sorted(HOME_QUERIES_BEFORE))
def test_the_home_page_costs_no_more_queries_than_before_the_shell(client, world, role,
                                                                   django_assert_max_num_queries):
    client.force_login(world.users[role])
    client.get(HOME)
    with django_assert_max_num_queries(HOME_QUERIES_BEFORE[role]):
        assert client.get(HOME).status_code == 200


@pytest.mark.parametrize("url", [HOME, MORE, reverse("news:feed")])
def test_the_counts_cost_the_same_whatever_the_unread(client, world, url):
    guardian = world.users["guardian"]
    client.force_login(guardian)
    client.get(url)
    counts_changed([guardian])  # read again, as after the writes below
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    news_notifications(guardian, 12)
    for subject in ["Een", "Twee", "Drie"]:
        messaging_actions.post_message(teacher_thread(world, subject=subject), world.users["teacher"], "Antwoord")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert 'class="tabbar__count"' in page
    assert len(many.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as kept:  # nothing changed since: the counts are kept
        client.get(url)
    assert len(kept.captured_queries) == len(many.captured_queries) - 1


def test_the_parents_timeline_puts_what_needs_them_before_the_news(client, world):
    page = get(client, world.users["guardian"])  # no image consent answered: the reminder asks
    sections = re.findall(r'data-section="(\w+)"', page)
    assert sections.index("action") < sections.index("news")
    assert page.index('id="image-consent-reminder"') < page.index('id="latest-news-heading"')
    assert "more" not in sections  # the rest is under "More", for parents
    assert f'href="{MORE}"' in page


def test_new_albums_show_thumbnails_the_parent_may_see_and_no_photo_without_consent(client, world):
    teacher = world.users["teacher"]
    album = make_album(teacher, groups=[world.group3])
    daan = enrolled_student(world.group3, first_name="Daan", last_name="Smit")
    GuardianshipFactory(student=daan, user=UserFactory())
    shown = add_photo(album, teacher)
    hidden = add_photo(album, teacher, tags=[daan])  # Daan's parents gave no consent
    page = get(client, world.users["guardian"])
    assert 'id="albums-home"' in page
    assert shown.thumb_url in page and hidden.thumb_url not in page
    assert client.get(shown.thumb_url).status_code == 200  # the access-checked photo view
    consent(daan, True)
    assert hidden.thumb_url in get(client, world.users["guardian"])
    assert 'id="albums-home"' not in get(client, world.users["guardian_other_school"])
