"""Database chores the bulk writers share (the demo, the administration import), and the text
aggregate that lets a list page read each row's names in the row itself."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Aggregate, TextField, Value

UNIT = "\x1f"  # between the parts of one joined value (a sort key and a name, say)
RECORD = "\x1e"  # between the joined values


class JoinedText(Aggregate):
    """The text values of a group of rows in one column: ``STRING_AGG`` on PostgreSQL,
    ``GROUP_CONCAT`` on SQLite, in no set order (``split_joined`` reads them back; sort there).
    In a correlated subquery it gives each row of a list its names without a query of their own."""

    function = "STRING_AGG"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(RECORD), **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="GROUP_CONCAT", **extra)


def split_joined(text: str | None) -> list[tuple[str, str]]:
    """The values of a ``JoinedText`` of ``first UNIT rest`` values, as (first, rest) pairs."""
    if not text:
        return []
    return [tuple(value.split(UNIT, 1)) if UNIT in value else ("", value) for value in text.split(RECORD)]


def analyze(tables: Iterable[str] = ()) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; elsewhere nothing). Planned on the
    statistics of empty tables, the audience queries of the fan-out nest loops over every guardian,
    enrollment and group and take minutes instead of milliseconds. Inside a transaction ANALYZE
    counts the rows that transaction has written. ``tables``: only these (default: all)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        names = ", ".join(connection.ops.quote_name(table) for table in tables)
        cursor.execute(f"ANALYZE {names}" if names else "ANALYZE")
