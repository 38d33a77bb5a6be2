"""Races against PostgreSQL: callables run in threads released at the same instant."""

import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection, transaction
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


@contextmanager
def held_elsewhere(take: Callable[[], object], scope=scopes_disabled):
    """Runs ``take()`` in a transaction of another thread (its own connection) and keeps that
    transaction open while the ``with`` block runs: the rows it locked stay locked, as by another
    request in the middle of its own. ``take`` must return something true; ``scope`` is the
    context the thread runs it in (a school's scope, or none)."""
    held, release = threading.Event(), threading.Event()
    failures = []

    def hold():
        try:
            with scope(), transaction.atomic():
                assert take()
                held.set()
                release.wait(30)
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
            held.set()
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(30) and not failures, failures
        yield
    finally:
        release.set()
        holder.join(30)
