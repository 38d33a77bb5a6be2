"""Database chores the bulk writers share (the demo, the administration import)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection


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
