"""A task worker for the benchmarks: the product's ``manage.py run_worker`` with the product's own
lease (core/worker.py), polling every 0.1 s."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command(
        "run_worker", "--queue-name", "*", "--interval", "0.1", "--no-startup-delay", "--no-reload", verbosity=0
    )


if __name__ == "__main__":
    main()
