"""Races against PostgreSQL: callables run in threads released at the same instant."""

import threading

from django.db import connection
from django.utils import translation
from django_scopes import scopes_disabled


def race(attempts, what="an attempt"):
    """Run ``attempts`` (callables) in threads released at the same instant; returns the outcome of
    each (its result, or the exception it raised). Every thread closes its own connection. A thread
    starts with no scope of its own: like the test's own code it runs with the net off."""
    barrier = threading.Barrier(len(attempts))
    outcomes = {}

    def run(index, attempt):
        try:
            with translation.override("en"), scopes_disabled():
                barrier.wait()
                outcomes[index] = attempt()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test looks at
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, attempt)) for n, attempt in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), f"{what} hung"
    return [outcomes[n] for n in range(len(attempts))]
