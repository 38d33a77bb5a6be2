"""The demo school of the tests (tests/demo_snapshot.py): a restored demo is the demo a build makes,
and what one test changes does not reach the next."""

import pytest
from django.core.management import call_command
from django.db import connection

from schoolpoort.accounts.models import User
from schoolpoort.demo.world import build_demo
from tests import demo_snapshot

JANSEN = "jansen@ouders.example"


def row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        tables = [name for name in connection.introspection.table_names(cursor) if name != "django_migrations"]
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def empty_database():
    """As the first test of a run finds it (the flush of a transactional test)."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_a_restored_demo_has_the_rows_of_a_fresh_build(request):
    if not demo_snapshot.enabled():
        pytest.skip("the demo is restored on PostgreSQL only (DATABASE_URL), with snapshots on")
    request.getfixturevalue("demo")  # makes the snapshot, or restores it
    for _attempt in range(2):  # a demo post coming out meanwhile sets the snapshot aside: once more
        empty_database()
        fresh = build_demo(verbosity=0)
        built = row_counts()
        empty_database()
        restores = demo_snapshot.counts["restored"]

        restored = demo_snapshot.demo_school()  # the fixture made (or found) the snapshot
        if demo_snapshot.counts["restored"] == restores + 1:
            break

    assert demo_snapshot.counts["restored"] == restores + 1
    assert row_counts() == built
    assert restored.registration_code == fresh.registration_code
    assert sorted(restored.users) == sorted(fresh.users) and sorted(restored.students) == sorted(fresh.students)
    # The world's handles are the rows in the database.
    assert dict(User.objects.filter(pk__in=[u.pk for u in restored.users.values()]).values_list("email", "pk")) == {
        email: user.pk for email, user in restored.users.items()}
    demo_snapshot.after_test()


def test_a_test_changes_its_demo(demo):
    jansen = demo.users[JANSEN]
    jansen.first_name = "Changed"
    jansen.save()
    demo.users.clear()
    assert User.objects.get(email=JANSEN).first_name == "Changed"


def test_the_next_test_gets_the_demo_as_built(demo):
    assert demo.users[JANSEN].first_name == "Eva"
    assert User.objects.get(email=JANSEN).first_name == "Eva"


@pytest.mark.parametrize(("changes_in", "fresh"), [(None, True), (60, True), (-1, False)])
def test_a_snapshot_is_set_aside_once_a_post_scheduled_after_its_build_has_come_out(changes_in, fresh, tmp_path):
    """The demo publishes the posts whose time has come when it is built, and families have read a
    post more the older it is: a snapshot from before such a moment is no longer what a build makes
    (a full run once crossed one, 13:05, between the snapshot and the comparison above)."""
    import datetime

    from django.utils import timezone

    now = timezone.now()
    changes_at = None if changes_in is None else now + datetime.timedelta(seconds=changes_in)
    snapshot = demo_snapshot.Snapshot(taken_at=now, today=timezone.localdate(), changes_at=changes_at, tables={},
                                      sequences={}, media=tmp_path, keys=(), world=None)
    assert demo_snapshot._fresh(snapshot) is fresh


@pytest.mark.django_db
def test_the_next_change_is_a_demo_post_coming_out_or_turning_a_day_older(demo):
    import datetime

    from schoolpoort.news.models import Post

    day = datetime.timedelta(days=1)
    times = list(Post.objects.values_list("publish_at", flat=True))
    long_before = min(times) - 400 * day
    assert demo_snapshot._next_change(long_before) == min(times)  # every post still to come out
    later = max(times) + datetime.timedelta(minutes=1)  # every post out: the next one to turn a day older
    expected = min(at + ((later - at) // day + 1) * day for at in times)
    assert demo_snapshot._next_change(later) == expected
    assert later < expected <= later + day
