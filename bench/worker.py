"""A task worker for the benchmarks: the product's ``manage.py db_worker``, with one change when
BENCH_STALE_AFTER is set (P5 only): claims left by a killed worker are taken back after that many
seconds instead of the product's five minutes, so the crash run fits in the benchmark's time.
The report says so next to the figure."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def patch_stale_after() -> None:
    if seconds := os.environ.get("BENCH_STALE_AFTER"):
        from schoolpoort.notify import outbox

        outbox.STALE_AFTER = datetime.timedelta(seconds=float(seconds))


def main() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    patch_stale_after()
    from django.core.management import call_command

    call_command(
        "db_worker", "--queue-name", "*", "--interval", "0.1", "--no-startup-delay", "--no-reload", verbosity=0
    )


if __name__ == "__main__":
    main()
