"""The reach cache (core/access.py, core/signals.py): a user's reach is kept across requests, and
every change of access shows on the very next request. A stale cache is a leak, so each change
of guardianship, enrollment, staff and board membership, group teachers, group school year,
pupil archived, module switch or closed period is tried here with two requests of the Django
test client, the cache on (a real cache: the machine's file cache for the values, the database
cache for the versions, as the product runs without Redis)."""

import datetime
import os
import subprocess
import sys

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from schoolpoort.core import access
from schoolpoort.core.actions import add_module_closure, set_module_switches
from schoolpoort.core.models import Enrollment, Guardianship, ModuleClosure, SchoolYear, StaffMembership, VersionEntry
from schoolpoort.core.modules import MODULES
from tests.factories import UserFactory
from tests.news.news_helpers import make_post
from tests.world import build_world

FEED = reverse("news:feed")
HOME = reverse("web:home")
ACCESS_TABLES = ("core_guardianship", "core_enrollment", "core_staffmembership", "core_boardmembership",
                 "core_group_teachers", "core_moduleswitch", "core_moduleclosure")


@pytest.fixture
def world(db, settings):
    settings.REACH_CACHE_SECONDS = 300
    world = build_world()
    # Written by the director: an author sees their own posts whatever their groups.
    make_post(world.users["director"], groups=[world.group3], title="Groepsnieuws-drie")
    make_post(world.users["director"], groups=[world.group6], title="Groepsnieuws-zes")
    make_post(world.users["director"], school=world.school, title="Schoolnieuws-een")
    return world


def feed(client, user) -> str:
    """The feed page's text, or "404"."""
    client.force_login(user)
    response = client.get(FEED)
    return "404" if response.status_code == 404 else response.content.decode()


def warm(client, user, *expected):
    """A first request fills the cache; it shows what the user reaches now."""
    page = feed(client, user)
    for title in expected:
        assert title in page
    return page


def _kept_keys() -> list[str]:
    return list(caches["default"]._cache)


def test_the_tests_run_with_a_real_cache(settings):
    assert caches["default"].__class__.__name__ == "FileCache"
    assert caches[settings.REACH_VERSION_CACHE].__class__.__name__ in {"VersionCache", "RedisCache"}


def test_versions_and_rate_limit_counters_never_cull_each_other(settings, db):
    """Django's database cache culls a third of its rows when full: with the versions (a few per
    user, never expiring) in the rate limits' table, a large school would cull live counters (a
    limit starting over) and versions alike. Each has a table of its own; the versions' is never
    culled (core/version_cache.py)."""
    versions, limits = caches[settings.REACH_VERSION_CACHE], caches[settings.RATELIMIT_USE_CACHE]
    if versions.__class__.__name__ != "VersionCache":
        pytest.skip("Redis holds both")
    assert versions._table != limits._table
    assert limits._max_entries >= 20_000
    versions._max_entries = 10  # a cull would now take two thirds of the rows
    versions.set_many({f"probe-{n}": n for n in range(30)}, None)
    token = versions.get("reach:v:all") or "none"
    for n in range(40):
        limits.set(f"counter-{n}", n, 60)
    versions.set("one-more", 1, None)
    assert (versions.get("reach:v:all") or "none") == token
    assert versions.get_many([f"probe-{n}" for n in range(30)]) == {f"probe-{n}": n for n in range(30)}


def test_the_versions_cache_writes_many_keys_in_one_statement(settings, db):
    """A notification to a whole school bumps thousands of users' versions: one statement per 500
    keys, never Django's three per key (the first a count of the whole table)."""
    versions = caches[settings.REACH_VERSION_CACHE]
    if versions.__class__.__name__ != "VersionCache":
        pytest.skip("Redis pipelines its writes")
    with CaptureQueriesContext(connection) as writes:
        versions.set_many({f"user-{n}": f"token-{n}" for n in range(1200)}, None)
    assert len(writes) == 3
    versions.set_many({"user-7": "changed"}, None)
    assert versions.get_many(["user-7", "user-8", "user-1199"]) == {
        "user-7": "changed", "user-8": "token-8", "user-1199": "token-1199"}
    # add() keeps a key that is there (two processes racing for a first token agree on one) ...
    assert versions.add("user-9", "other", None) is False and versions.get("user-9") == "token-9"
    assert versions.add("new-key", "first", None) is True and versions.get("new-key") == "first"
    # ... unless it has expired, like Django's.
    versions.set("short", "old", 1)
    VersionEntry.objects.filter(cache_key__endswith=":short").update(
        expires=timezone.now() - datetime.timedelta(minutes=1))
    assert versions.add("short", "new", None) is True and versions.get("short") == "new"


# --- Guardians ---------------------------------------------------------------------------------


def test_a_guardianship_deleted_shows_on_the_next_request(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie", "Schoolnieuws-een")
    client.force_login(guardian)
    assert "Noor" in client.get(HOME).content.decode()
    Guardianship.objects.get(user=guardian).delete()
    assert feed(client, guardian) == "404"
    assert "Noor" not in client.get(HOME).content.decode()


def test_a_guardianship_moved_to_another_account_leaves_the_first(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    slot = Guardianship.objects.get(user=guardian)
    slot.user = UserFactory()
    slot.save()
    assert feed(client, guardian) == "404"
    assert "Groepsnieuws-drie" in feed(client, slot.user)


def test_class_pages_taken_away_hide_the_group_on_the_next_request(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    slot = Guardianship.objects.get(user=guardian)
    slot.sees_class_pages = False
    slot.save(update_fields=["sees_class_pages"])
    page = feed(client, guardian)
    assert "Groepsnieuws-drie" not in page and "Schoolnieuws-een" in page


def test_an_enrollment_ended_hides_the_group(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    Enrollment.objects.filter(student=world.child).delete()
    page = feed(client, guardian)
    assert "Groepsnieuws-drie" not in page and "Schoolnieuws-een" in page


def test_a_pupil_moved_to_another_group_sees_the_new_group_only(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    enrollment = Enrollment.objects.get(student=world.child)
    enrollment.group = world.group6
    enrollment.save()
    page = feed(client, guardian)
    assert "Groepsnieuws-drie" not in page and "Groepsnieuws-zes" in page


def test_a_pupil_moved_through_the_groups_relation(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    world.child.groups.remove(world.group3)
    assert "Groepsnieuws-drie" not in feed(client, guardian)


def test_a_pupil_archived_leaves_the_guardian_nothing(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie", "Schoolnieuws-een")
    world.child.archived_at = timezone.now()
    world.child.save()
    assert feed(client, guardian) == "404"


def test_a_pupil_archived_with_update_and_reach_changed(client, world):
    """Code that writes around the signals says so itself."""
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    type(world.child).objects.filter(pk=world.child.pk).update(archived_at=timezone.now())
    access.reach_changed()
    assert feed(client, guardian) == "404"


def test_class_pages_taken_away_with_update_and_reach_changed_for_the_user(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    Guardianship.objects.filter(user=guardian).update(sees_class_pages=False)
    access.reach_changed([guardian])
    assert "Groepsnieuws-drie" not in feed(client, guardian)


# --- Groups and school years ---------------------------------------------------------------------


def _last_year() -> SchoolYear:
    today = timezone.localdate()
    return SchoolYear.for_date(today.replace(year=today.year - 1))


def test_a_group_moved_to_last_year_is_gone_for_guardian_and_teacher(client, world):
    guardian, teacher = world.users["guardian"], world.users["teacher"]
    warm(client, guardian, "Groepsnieuws-drie")
    warm(client, teacher, "Groepsnieuws-drie")
    world.group3.school_year = _last_year()
    world.group3.save()
    assert "Groepsnieuws-drie" not in feed(client, guardian)
    assert "Groepsnieuws-drie" not in feed(client, teacher)


def test_a_school_year_ended_early_ends_its_groups(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    year = world.group3.school_year
    year.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    year.save()
    assert "Groepsnieuws-drie" not in feed(client, guardian)


def test_a_teacher_taken_off_the_group_no_longer_sees_it(client, world):
    teacher = world.users["teacher"]
    warm(client, teacher, "Groepsnieuws-drie")
    world.group3.teachers.remove(teacher)
    assert "Groepsnieuws-drie" not in feed(client, teacher)


def test_the_teachers_of_a_group_cleared(client, world):
    teacher = world.users["teacher"]
    warm(client, teacher, "Groepsnieuws-drie")
    world.group3.teachers.clear()
    assert "Groepsnieuws-drie" not in feed(client, teacher)


def test_a_teacher_added_to_a_group_sees_it_at_once(client, world):
    teacher = world.users["teacher"]
    page = feed(client, teacher)
    assert "Groepsnieuws-zes" not in page
    teacher.taught_groups.add(world.group6)  # the other side of the relation
    assert "Groepsnieuws-zes" in feed(client, teacher)


# --- Staff and board ------------------------------------------------------------------------------


def test_a_staff_membership_ended_leaves_the_school(client, world):
    teacher = world.users["teacher_other_group"]
    warm(client, teacher, "Schoolnieuws-een")
    world.group6.teachers.clear()
    StaffMembership.objects.filter(user=teacher).delete()
    assert feed(client, teacher) == "404"


def test_a_staff_role_changed_counts_at_once(client, world):
    teacher = world.users["teacher"]
    client.force_login(teacher)
    assert reverse("core:modules", args=[world.school.pk]) not in client.get(HOME).content.decode()
    membership = StaffMembership.objects.get(user=teacher)
    membership.role = StaffMembership.Role.DIRECTOR
    membership.save()
    client.force_login(teacher)
    assert reverse("core:modules", args=[world.school.pk]) in client.get(HOME).content.decode()


def test_a_board_membership_ended_leaves_the_board(client, world):
    admin = world.users["board_admin"]
    warm(client, admin, "Schoolnieuws-een")
    admin.board_memberships.all().delete()
    assert feed(client, admin) == "404"


# --- Modules ------------------------------------------------------------------------------------


def test_news_switched_off_is_gone_for_the_guardian(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Schoolnieuws-een")
    set_module_switches(world.school, set(MODULES) - {"news"}, world.users["director"])
    assert feed(client, guardian) == "404"


def test_news_closed_for_a_period_is_gone_for_the_guardian_and_back_after(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Schoolnieuws-een")
    today = timezone.localdate()
    closure = add_module_closure(world.school, world.users["director"], module="news", starts_on=today,
                                 ends_on=today + datetime.timedelta(days=7), message="Rapporten")
    assert feed(client, guardian) == "404"
    ModuleClosure.objects.filter(pk=closure.pk).delete()
    assert "Schoolnieuws-een" in feed(client, guardian)


# --- The cache itself -----------------------------------------------------------------------------


def _access_queries(captured) -> list[str]:
    """The queries that read the access tables themselves (not a subquery of another table's)."""
    return [q["sql"] for q in captured if q["sql"].partition(' FROM "')[2].startswith(ACCESS_TABLES)]


def test_a_second_request_reads_the_reach_from_the_cache(client, world):
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    client.get(HOME)
    for page in (FEED, HOME):
        with CaptureQueriesContext(connection) as second:
            assert client.get(page).status_code == 200
        # (the albums' image-consent reminder counts this year's answers per child: content, not reach)
        assert [sql for sql in _access_queries(second.captured_queries) if "consent" not in sql] == [], page


def test_the_reach_costs_no_query_with_shared_versions_in_memory(world, settings, django_assert_num_queries):
    """With Redis (or one process) the versions are in the same cache as the values: no SQL at all."""
    settings.REACH_VERSION_CACHE = "default"
    guardian = world.users["guardian"]
    first = access.reach_of(type(guardian).objects.get(pk=guardian.pk))
    fresh = type(guardian).objects.get(pk=guardian.pk)  # as the next request's user
    with django_assert_num_queries(0):
        assert access.reach_of(fresh) == first
        assert access.roles_of(fresh).is_guardian


def test_the_reach_costs_one_query_with_versions_in_the_database_cache(world, django_assert_num_queries):
    guardian = world.users["guardian"]
    access.reach_of(type(guardian).objects.get(pk=guardian.pk))
    fresh = type(guardian).objects.get(pk=guardian.pk)
    with django_assert_num_queries(1):
        assert access.reach_of(fresh).child_ids == {world.child.pk}


def test_what_one_app_process_keeps_the_others_find(world):
    """Without Redis every process of the machine shares the file cache (settings, core/file_cache):
    a parent's reach built by one app worker is found by the next, and the other way round."""
    guardian = world.users["guardian"]
    user = type(guardian).objects.get(pk=guardian.pk)
    assert access.cached_for_user(user, "probe", lambda: "built here") == "built here"
    prefix = user._schoolpoort_reach_prefix
    script = (
        "import sys, django; django.setup(); from django.core.cache import caches; "
        "cache = caches['default']; print(cache.get(sys.argv[1])); cache.set(sys.argv[2], 'kept there', 60)"
    )
    other = subprocess.run(
        [sys.executable, "-c", script, f"{prefix}:probe", f"{prefix}:theirs"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "schoolpoort.settings"},
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert other.stdout.strip().splitlines()[-1] == "built here"
    fresh = type(guardian).objects.get(pk=guardian.pk)
    assert access.cached_for_user(fresh, "theirs", lambda: "built again") == "kept there"


def test_another_day_reads_again(world, monkeypatch, django_assert_max_num_queries):
    guardian = world.users["guardian"]
    access.reach_of(type(guardian).objects.get(pk=guardian.pk))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(access, "_today", lambda: tomorrow)
    with CaptureQueriesContext(connection) as read:
        access.reach_of(type(guardian).objects.get(pk=guardian.pk))
    assert _access_queries(read.captured_queries)


def test_a_lost_version_never_brings_back_an_old_value(world, settings):
    """Versions are random tokens: one evicted from the cache is replaced by a new token, under
    which no old value exists."""
    guardian = world.users["guardian"]
    before = access.reach_of(type(guardian).objects.get(pk=guardian.pk))
    assert before.child_ids
    Guardianship.objects.filter(user=guardian).update(user=None)  # a write that forgot to say so ...
    caches[settings.REACH_VERSION_CACHE].delete_many([access.EVERYONE, access._user_version_key(guardian.pk)])
    after = access.reach_of(type(guardian).objects.get(pk=guardian.pk))  # ... and the version lost
    assert after.child_ids == frozenset()


def test_a_change_bumps_again_when_its_transaction_commits(world, settings):
    """A request that read the rows before the commit must not have its value found afterwards;
    and a delete of many rows bumps once at once, once on commit."""
    from django.db import transaction

    guardian = world.users["guardian"]
    version_cache = caches[settings.REACH_VERSION_CACHE]
    key = access._user_version_key(guardian.pk)
    with transaction.atomic():
        connection.run_on_commit = []  # this block as if it were the outer transaction
        access.reach_of(type(guardian).objects.get(pk=guardian.pk))  # a read: the next change bumps at once
        Guardianship.objects.filter(user=guardian).update(sees_class_pages=False)
        access.reach_changed([guardian])
        at_once = version_cache.get(key)
        access.reach_changed([guardian])  # nothing read since: no second bump now
        assert version_cache.get(key) == at_once
        (callback,) = [entry[1] for entry in connection.run_on_commit]
        callback()  # as the commit runs it
    assert version_cache.get(key) not in (None, at_once)


def test_the_cache_can_be_switched_off(client, world, settings):
    settings.REACH_CACHE_SECONDS = 0
    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    Guardianship.objects.filter(user=guardian).update(sees_class_pages=False)  # no bump needed
    assert "Groepsnieuws-drie" not in feed(client, guardian)
    assert not [key for key in _kept_keys() if "reach:" in key]


# --- What else the reach cache keeps, and the writes around the signals -------------------------


def _home_templates(client, user) -> set[str]:
    client.force_login(user)
    return {block.template for block in client.get(HOME).context["blocks"]}


def test_an_image_consent_answered_takes_the_reminder_away_on_the_next_request(client, world):
    from schoolpoort.albums.consent import USES, current_year, save_answers

    guardian = world.users["guardian"]
    assert "albums/_consent_reminder.html" in _home_templates(client, guardian)
    save_answers(guardian, world.child, current_year(), dict.fromkeys(USES, True))
    assert "albums/_consent_reminder.html" not in _home_templates(client, guardian)


def test_a_leaver_archived_by_the_import_leaves_the_guardian_nothing(client, world):
    """The import writes in bulk (no signals) and says so itself."""
    from schoolpoort.imports.run import apply_run, preview
    from tests.imports.samples import edexml

    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    run, result = preview(school=world.school, user=world.users["administration"], filename="f", data=edexml())
    assert not result.all_errors
    apply_run(run, world.users["administration"])
    world.child.refresh_from_db()
    assert world.child.archived_at is not None
    assert feed(client, guardian) == "404"


def test_an_account_unlinked_by_the_erasure_of_a_family_loses_the_child(client, world):
    from schoolpoort.accounts.personal_data import _erase_family

    guardian = world.users["guardian"]
    warm(client, guardian, "Groepsnieuws-drie")
    _erase_family(world.school, [world.child.pk], [guardian.pk])
    assert "Groepsnieuws-drie" not in feed(client, guardian)  # a 404, or the login page of an erased account
