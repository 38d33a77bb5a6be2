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
    empty_database()
    fresh = build_demo(verbosity=0)
    built = row_counts()
    empty_database()
    restores = demo_snapshot.counts["restored"]

    restored = demo_snapshot.demo_school()  # the fixture made (or found) the snapshot

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
