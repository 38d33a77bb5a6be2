"""The demo school (DEMO.md) for the tests, built once per test process and restored for every
test that asks for it: ``build_demo`` takes seconds, a restore a fraction of one.

After the first build, a snapshot keeps every table's rows (PostgreSQL ``COPY … TO STDOUT`` in
binary form, in memory), the sequences' values, the media files the demo wrote and the world object
``build_demo`` returned. A later test gets the same database back (TRUNCATE, ``COPY … FROM STDIN``
with the triggers of the foreign keys off, so the order of the tables does not matter, ``setval``
of every sequence and ANALYZE, as the build leaves the planner's statistics): identical rows and
ids, its own copy of the media files in its MEDIA_ROOT, and its own deep copy of the world object,
so nothing one test changes reaches the next. In a test's transaction (``db``) the restore is
rolled back with it; in a transactional test it is committed (the live server reads it) and
flushed after the test, as a build would be.

A test gets a fresh build instead when:
- the database is not PostgreSQL (SQLite, the embedded default, builds as before);
- the snapshot was made on another day, or more than ``SCHOOLPOORT_DEMO_SNAPSHOT_MINUTES``
  minutes ago (default 10; 0 switches the snapshot off), or a demo post has come out or turned a
  day older since its build (a build now would publish it, or give it more reads): the build is
  kept as the new snapshot.
  The demo is built around "now": today's absences, this afternoon's posts, the conference
  evenings of next week. A snapshot a few minutes old is a build a test could have made a few
  minutes earlier;
- the test set Django's clock (it is not the machine's): the build is made around that "now";
- the test's database already holds rows of its own before it asks for the demo (a fixture made
  them): a restore replaces whole tables, where ``build_demo`` leaves what is not the demo's;
- the records key (``lib.encryption``) is not the one the snapshot's encrypted fields and files were
  written with. A test with a var/ of its own and no key yet gets the snapshot's key written there, as
  the build would have written a new one.

What the build leaves outside the database and the media folder: nothing tests rely on. It sends no
mail (the fan-out queues e-mail and push as tasks: rows, restored with the rest), registers no
on-commit callbacks, puts nothing in the caches, and writes only the records key to var/ (above).
Django's cache of content types is cleared after a restore and after the test (the ids of the
content types are the snapshot's).

Tests of ``build_demo`` itself (that it is idempotent, that it declares its scope, that the command
loads it) keep calling it."""

from __future__ import annotations

import copy
import datetime
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

MAX_AGE = datetime.timedelta(minutes=float(os.environ.get("SCHOOLPOORT_DEMO_SNAPSHOT_MINUTES", "10")))
KEPT = {"django_migrations"}  # the schema's history: the same in every state, never replaced
# What a migrated database holds before anything else: post_migrate's content types and permissions.
BASELINE_TABLES = frozenset({"django_content_type", "auth_permission"})

# How the demo came to the tests of this process, and what the snapshots cost (the summary prints it).
counts = {"built": 0, "restored": 0, "built_not_empty": 0}
snapshot_seconds: list[float] = []
restore_seconds: list[float] = []
analyze_seconds: list[float] = []


@dataclass
class Snapshot:
    taken_at: datetime.datetime
    today: datetime.date
    changes_at: datetime.datetime | None  # from then on a build differs (``_next_change``)
    tables: dict[str, bytes]  # table → its rows, COPY BINARY
    sequences: dict[str, tuple[int, bool]]  # sequence → (value, is_called) for setval
    media: Path
    keys: tuple[str, ...]  # the records keys the encrypted rows and files were written with
    world: object  # the DemoWorld, pristine: each test gets a deep copy


_snapshot: Snapshot | None = None


def demo_school():
    """The demo school in the test's database and MEDIA_ROOT, and its DemoWorld: restored from this
    process's snapshot where that is safe (see the module's docstring), else freshly built."""
    from django.contrib.contenttypes.models import ContentType

    global _snapshot
    if not enabled() or not _real_clock():
        counts["built"] += 1
        return _build()
    filled = _tables_with_rows()
    if not filled <= BASELINE_TABLES:
        # Rows of the test's own: build as ever (a restore would replace them).
        counts["built_not_empty"] += 1
        return _build()
    if _snapshot is not None and not _fresh(_snapshot):
        _discard()
    if _snapshot is not None and _keys_match(_snapshot):
        _restore(_snapshot, filled)
        ContentType.objects.clear_cache()
        counts["restored"] += 1
        return _world_copy(_snapshot.world)
    # No snapshot yet, an old one, or one written with other records keys: this build is the new one.
    built_at = timezone.now()
    world = _build()
    counts["built"] += 1
    _discard()
    _snapshot = _take(world, built_at)
    return world


def enabled() -> bool:
    """Snapshots are made (on PostgreSQL, unless switched off)."""
    return connection.vendor == "postgresql" and MAX_AGE > datetime.timedelta(0)


def after_test() -> None:
    """A restore brought the snapshot's content types: forget the ids Django cached of them."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _build():
    from schoolpoort.demo.world import build_demo

    return build_demo(verbosity=0)


def _fresh(snapshot: Snapshot) -> bool:
    now = timezone.now()
    if snapshot.changes_at is not None and now >= snapshot.changes_at:
        return False
    return snapshot.today == timezone.localdate() and now - snapshot.taken_at <= MAX_AGE


def _next_change(built_at: datetime.datetime) -> datetime.datetime | None:
    """When a build would first differ from one made at ``built_at``: the build publishes the posts
    whose time has come, and more families have read a post the more whole days it is old
    (news/demo.py). So: the first scheduled post coming out, or a post turning a day older."""
    from schoolpoort.core.scopes import scopes_disabled
    from schoolpoort.news.models import Post

    with scopes_disabled():
        times = list(Post.objects.values_list("publish_at", flat=True))
    day = datetime.timedelta(days=1)
    return min(
        (at if at > built_at else at + ((built_at - at) // day + 1) * day for at in times),
        default=None,
    )


def _real_clock() -> bool:
    """Django's clock is the machine's: a test that set the clock (monkeypatch) gets a build around
    its own "now"."""
    return abs(timezone.now().timestamp() - time.time()) < 5


def _keys_match(snapshot: Snapshot) -> bool:
    """The records keys now are the snapshot's; a var/ without a key gets the snapshot's (as the
    build would have written one there)."""
    from schoolpoort.lib import encryption

    key_file = Path(settings.VAR_DIR) / "records_key"
    if not os.environ.get(encryption.ENV, "").strip() and not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(",".join(snapshot.keys))
        key_file.chmod(0o600)
    return tuple(encryption.configured_keys()) == snapshot.keys


# --- PostgreSQL -------------------------------------------------------------------------------------

def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _all_tables() -> list[str]:
    with connection.cursor() as cursor:
        return [name for name in connection.introspection.table_names(cursor) if name not in KEPT]


def _tables_with_rows() -> frozenset[str]:
    """The tables that hold any row, in one round trip."""
    tables = _all_tables()
    query = " UNION ALL ".join(
        f"SELECT %s WHERE EXISTS (SELECT 1 FROM {_quoted(table)})" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query, tables)
        return frozenset(row[0] for row in cursor.fetchall())


def _sequences() -> dict[str, tuple[int, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value, start_value "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        return {
            name: (last, True) if last is not None else (start, False)
            for name, last, start in cursor.fetchall()
            if not name.endswith(".django_migrations_id_seq") and not name.endswith('."django_migrations_id_seq"')
        }


def _take(world, built_at: datetime.datetime) -> Snapshot:
    from schoolpoort.lib import encryption

    started = time.perf_counter()
    connection.ensure_connection()
    tables = {}
    with connection.connection.cursor() as cursor:
        for table in sorted(_tables_with_rows()):
            with cursor.copy(f"COPY {_quoted(table)} TO STDOUT (FORMAT BINARY)") as out:
                tables[table] = b"".join(bytes(chunk) for chunk in out)
    media = Path(tempfile.mkdtemp(prefix="demo-snapshot-media-"))
    if Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, media, dirs_exist_ok=True)
    snapshot = Snapshot(
        taken_at=timezone.now(), today=timezone.localdate(), changes_at=_next_change(built_at), tables=tables,
        sequences=_sequences(), media=media, keys=tuple(encryption.configured_keys()),
        world=_world_copy(world),
    )
    snapshot_seconds.append(time.perf_counter() - started)
    return snapshot



def _restore(snapshot: Snapshot, filled: frozenset[str]) -> None:
    """The snapshot's rows in place of the (content types and permissions) the database holds, in
    one transaction (a savepoint inside a test's transaction): a failure leaves nothing half done."""
    started = time.perf_counter()
    with transaction.atomic(), connection.connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        (role,) = cursor.fetchone()
        # The rows are a consistent whole: no foreign-key trigger needs to check them (nor queue a
        # deferred check), in whatever order the tables come. Set back below, before the test runs.
        cursor.execute("SET session_replication_role = replica")
        if filled:
            cursor.execute(f"TRUNCATE {', '.join(_quoted(table) for table in sorted(filled))} CASCADE")
        for table, rows in snapshot.tables.items():
            with cursor.copy(f"COPY {_quoted(table)} FROM STDIN (FORMAT BINARY)") as into:
                into.write(rows)
        if snapshot.sequences:
            cursor.execute("SELECT " + ", ".join(
                f"setval('{name}', {value}, {'true' if called else 'false'})"
                for name, (value, called) in snapshot.sequences.items()
            ))
        cursor.execute(f"SET session_replication_role = {role}")
        analyzed = time.perf_counter()
        # The planner's statistics of the rows, as the build leaves them (lib.db.analyze).
        cursor.execute(f"ANALYZE {', '.join(_quoted(table) for table in snapshot.tables)}")
        analyze_seconds.append(time.perf_counter() - analyzed)
    shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    restore_seconds.append(time.perf_counter() - started)


def _discard() -> None:
    global _snapshot
    if _snapshot is not None:
        shutil.rmtree(_snapshot.media, ignore_errors=True)
        _snapshot = None


def discard() -> None:
    """At the end of the session: the snapshot's media folder goes."""
    _discard()


# --- the world object -------------------------------------------------------------------------------

def _world_copy(world):
    """A deep copy of the world (the snapshot keeps one as the build returned it; each test gets
    one of that): model instances with their cached relations, the random generator in its state.
    Faker does not deep-copy; the copy gets a Faker of its own in the same state."""
    from faker import Faker

    faker = Faker("nl_NL")
    faker.seed_instance(world.seed)
    faker.random.setstate(world.faker.random.getstate())
    return copy.deepcopy(world, memo={id(world.faker): faker})


def summary() -> str:
    def seconds(values: list[float]) -> str:
        return f"{max(values):.2f} s max, {sum(values) / len(values):.2f} s mean" if values else "none"

    return (
        f"demo school: built {counts['built']}x (+{counts['built_not_empty']}x over rows of the test's own), "
        f"restored {counts['restored']}x; snapshot {seconds(snapshot_seconds)}; "
        f"restore {seconds(restore_seconds)}, of which ANALYZE {seconds(analyze_seconds)}"
    )
