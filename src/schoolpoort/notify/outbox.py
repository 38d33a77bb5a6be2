"""The outbox mechanics shared by every channel: claim, send, record, retry, recover.

The guarantee, honestly stated
------------------------------
*No delivery is lost, and no delivery is sent twice by two workers.* A Delivery row is written in
the same transaction as its in-app notification (and that in the transaction of the fan-out task,
which committed with the post). A worker **claims** rows with one conditional UPDATE
(``pending → sending`` with its own run id, ``claimed_at`` and ``attempts + 1``); the database
lets exactly one UPDATE win per row, so two workers, or two copies of the same task, never both
send a row. Each message is marked ``sent`` with its own UPDATE (autocommit) right after the
server accepted it (SMTP 250 after DATA; the push service's 201).

*A message can be sent twice in one narrow case*: the worker dies (or loses the database) after
the server accepted the message and before its ``sent`` UPDATE committed. Its claim then stays
``sending``; once the claim's lease has run out (``stale_after()``, the worker lease of
core/worker.py, 45 s by default) the recovery puts it back to ``pending`` and it is sent again. The
recovery runs in every worker's heartbeat (``manage.py run_worker``), at the start of every
delivery task and from ``manage.py notify_recover``. That window is a
few milliseconds per message; closing it would need the mail server to take part in our
transaction. To make such a duplicate recognisable, every e-mail carries a Message-ID derived from
its delivery id (the same on every attempt), which mail clients and providers use to fold
duplicates. A push duplicate carries the same ``tag`` and replaces the first on the device.

We deliberately do *not* mark a batch ``sent`` with one UPDATE at its end: a crash mid-batch
would then re-send every message the server had already accepted. One small UPDATE per accepted
message keeps the window to one message per crashed worker, at a cost of well under a
millisecond per message (see bench/notify_urgent.py for the figures).

A healthy but slow worker must never look dead: while it sends, it renews its claim's lease
(``claimed_at``) every quarter of the lease, and before it sends on after a renewal it checks that
every row it is about to send is still its own (a send that stalled longer than the lease may have
lost them to the recovery: then it stops, and whoever holds them now sends them). It stops working
on a claim after ``CLAIM_BUDGET``, gives the unsent rest back and enqueues it again.

Temporary errors (connection refused or dropped, SMTP 4xx, push 429/5xx) are retried with backoff
(1, 5, 15, 60 minutes); after ``MAX_ATTEMPTS`` claims the delivery has failed. Permanent errors
(SMTP 5xx, push 400/403/413) fail at once; a push subscription the service answers 404 or 410 for
is removed and its pending deliveries cancelled.
"""

from __future__ import annotations

import datetime
import logging
import os
import secrets
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import Exact, LessThanOrEqual

from schoolpoort.core import worker

from . import timing
from .models import Broadcast, Delivery, Notification

logger = logging.getLogger(__name__)

# Seconds a worker may spend on one claim before it gives the rest back (its lease is renewed
# meanwhile, so this is about sharing the work, not about looking alive).
CLAIM_BUDGET = 90.0
SWEEP_AFTER = datetime.timedelta(minutes=15)  # pending this long without progress: enqueue again
MAX_ATTEMPTS = 5
BATCH_SIZE = {Delivery.Channel.EMAIL: 200, Delivery.Channel.PUSH: 200}
URGENT_PRIORITY = 50

Status = Delivery.Status


def stale_after() -> datetime.timedelta:
    """A claim not renewed for this long belongs to a worker that stopped: the worker lease."""
    return worker.lease()


# The claims this process is sending now, renewed by the worker's heartbeat thread as well as
# between two messages: one slow SMTP exchange (up to EMAIL_TIMEOUT per command) must not outlast
# the lease, or the recovery would give the message being sent to another worker to send again.
_held: dict[str, list[int]] = {}
_held_lock = threading.Lock()


def renew_held_claims() -> int:
    """Renew every claim this process holds (registered with ``worker.on_heartbeat``)."""
    with _held_lock:
        held = list(_held.items())
    return sum(renew_claim(ids, run_id) for run_id, ids in held)


class TemporaryError(Exception):
    """Try again later."""


class PermanentError(Exception):
    """This message will never go through."""


class Gone(PermanentError):
    """The address is gone for good (a push subscription the service no longer knows)."""


class Channel:
    """One way out. ``deliver()`` opens it once per batch, sends each claimed delivery through
    it and closes it; ``send`` raises one of the errors above, or returns when the message was
    accepted."""

    name: str

    def open(self) -> None: ...

    def send(self, delivery: Delivery) -> None:
        raise NotImplementedError

    def gone(self, delivery: Delivery) -> None:
        """The address of ``delivery`` is gone for good."""

    def close(self) -> None: ...


def new_run_id() -> str:
    """Unique per task run: host, process and randomness (the claim marker)."""
    return f"{socket.gethostname()[:24]}:{os.getpid()}:{secrets.token_hex(8)}"


def queue_for(urgent: bool) -> dict:
    return {"queue_name": "urgent", "priority": URGENT_PRIORITY} if urgent else {"queue_name": "default"}


def enqueue_deliveries(ids: Iterable[int], channel: str, *, urgent: bool, run_after=None) -> int:
    """Enqueue delivery tasks for ``ids`` in batches; returns the number of tasks."""
    from .tasks import deliver_email, deliver_push

    task = deliver_email if channel == Delivery.Channel.EMAIL else deliver_push
    task = task.using(run_after=run_after, **queue_for(urgent))
    ids = sorted(ids)
    size = BATCH_SIZE[channel]
    for start in range(0, len(ids), size):
        task.enqueue(ids[start : start + size])
    return (len(ids) + size - 1) // size


def enqueue_rows(rows: Iterable[tuple[int, str, bool, datetime.datetime | None]]) -> None:
    """Enqueue (id, channel, urgent, run_after) rows, grouped into batches that share the rest."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    now = timing.now()
    for pk, channel, urgent, run_after in rows:
        groups[(channel, urgent, run_after if run_after and run_after > now else None)].append(pk)
    for (channel, urgent, run_after), ids in groups.items():
        enqueue_deliveries(ids, channel, urgent=urgent, run_after=run_after)


# --- Claims -------------------------------------------------------------------------------------


def status_is(status: str) -> Exact:
    """``status == status`` in a form no index can answer, for the statements that select a few
    rows by primary key (claim, the claimed rows, mark sent). The statistics of a transient status
    are stale in a burst (after a quiet day, 'pending' and 'sending' look empty), so PostgreSQL
    otherwise walks the (status, channel, not_before) index over every pending row of the
    broadcast (28,000 at board scale) for each batch, and over every claimed row for each message,
    instead of the few primary keys asked for."""
    return Exact(Concat("status", Value("")), status)


def claim(ids: Iterable[int], run_id: str) -> int:
    """Claim the pending, due deliveries among ``ids`` for ``run_id``: one conditional UPDATE, so
    of two workers claiming the same rows, each row goes to exactly one."""
    now = timing.now()
    # not_before too in a form no index answers: the status index also holds it, and PostgreSQL
    # would otherwise scan that index by not_before alone (see status_is()).
    due = LessThanOrEqual(Coalesce("not_before", Value(now)), now)
    return Delivery.objects.filter(status_is(Status.PENDING), due, pk__in=list(ids)).update(
        status=Status.SENDING, claimed_by=run_id, claimed_at=now, attempts=F("attempts") + 1
    )


def mark_sent(delivery_id: int, run_id: str) -> bool:
    """Record one accepted message at once: its own autocommitted UPDATE. The hot path of every
    message, so plain SQL (the ORM would build the same statement again for each message)."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, sent_at = %s, error = '' "
            "WHERE id = %s AND status || '' = %s AND claimed_by = %s",  # by primary key: see status_is()
            [Status.SENT, connection.ops.adapt_datetimefield_value(timing.now()), delivery_id, Status.SENDING, run_id],
        )
        return cursor.rowcount == 1


def mark_failed(delivery_ids: Iterable[int], run_id: str, error: str, status: str = Status.FAILED) -> int:
    return Delivery.objects.filter(pk__in=list(delivery_ids), status=Status.SENDING, claimed_by=run_id).update(
        status=status, error=error[:2000]
    )


def retry_later(delivery: Delivery, run_id: str, error: str) -> datetime.datetime | None:
    """A temporary error: back to pending (or digest) after a backoff, or failed after
    MAX_ATTEMPTS. Returns when it will be tried again, None if it has failed."""
    if delivery.attempts >= MAX_ATTEMPTS:
        mark_failed([delivery.pk], run_id, error)
        return None
    when = timing.now() + timing.retry_delay(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING, claimed_by=run_id).update(
        status=Status.DIGEST if delivery.digest else Status.PENDING, not_before=when, error=error[:2000]
    )
    return when


def renew_claim(delivery_ids: list[int], run_id: str) -> int:
    """Renew the lease of the claimed rows among ``delivery_ids``; returns how many are still ours."""
    return Delivery.objects.filter(status_is(Status.SENDING), pk__in=delivery_ids, claimed_by=run_id).update(
        claimed_at=timing.now()
    )


def release(delivery_ids: list[int], run_id: str) -> int:
    """Give unsent claimed rows back unchanged (the claim ran out of time): not an attempt."""
    return Delivery.objects.filter(pk__in=delivery_ids, status=Status.SENDING, claimed_by=run_id).update(
        status=Status.PENDING, attempts=F("attempts") - 1, claimed_by=""
    )


def drop_obsolete(rows: list[Delivery], run_id: str) -> list[Delivery]:
    """Cancel claimed rows whose item was deleted, or (for non-urgent ones) that the recipient
    has already read in the app or whose device was switched off since; returns the rest. One
    query for the read state."""
    candidates = [d for d in rows if not d.broadcast.urgent and d.broadcast.cancelled_at is None]
    read = set()
    if candidates:
        read = set(
            Notification.objects.filter(
                broadcast_id__in={d.broadcast_id for d in candidates},
                recipient_id__in={d.recipient_id for d in candidates},
                read_at__isnull=False,
            ).values_list("broadcast_id", "recipient_id")
        )
    obsolete = [
        d
        for d in rows
        if d.broadcast.cancelled_at is not None
        or (d.broadcast_id, d.recipient_id) in read
        or (d.subscription is not None and not d.subscription.enabled and not d.broadcast.urgent)
    ]
    if obsolete:
        mark_failed([d.pk for d in obsolete], run_id, "", status=Status.CANCELLED)
    gone = {d.pk for d in obsolete}
    return [d for d in rows if d.pk not in gone]


# --- Sending a batch ----------------------------------------------------------------------------


def deliver(channel: Channel, delivery_ids: list[int]) -> dict:
    """Claim ``delivery_ids``, send each claimed one through ``channel`` and record the outcome."""
    recover_stale()
    run_id = new_run_id()
    stats = {"claimed": 0, "sent": 0, "retry": 0, "failed": 0, "cancelled": 0, "released": 0, "lost": 0}
    stats["claimed"] = claim(delivery_ids, run_id)
    if stats["claimed"] < len(delivery_ids):
        _requeue_early(delivery_ids)
    if not stats["claimed"]:
        return stats
    started = time.monotonic()
    # The related rows by primary key in queries of their own (prefetch, not a join): with the
    # stale statistics of a burst, PostgreSQL planned the five-table join at 250 ms per batch.
    rows = list(
        Delivery.objects.filter(status_is(Status.SENDING), pk__in=delivery_ids, claimed_by=run_id)
        .prefetch_related("recipient", "broadcast__school", "subscription")
        .order_by("pk")
    )
    live = drop_obsolete(rows, run_id)
    stats["cancelled"] = len(rows) - len(live)
    retries: list[tuple[int, str, bool, datetime.datetime]] = []
    try:
        channel.open()
    except TemporaryError as exc:
        for delivery in live:
            _count_retry(stats, retries, delivery, retry_later(delivery, run_id, str(exc)))
        enqueue_rows(retries)
        return stats
    index = 0
    renew_every = stale_after().total_seconds() / 4
    renewed = started
    with _held_lock:
        _held[run_id] = [d.pk for d in live]
    try:
        for index, delivery in enumerate(live):
            if time.monotonic() - started > CLAIM_BUDGET:
                rest = [d.pk for d in live[index:]]
                stats["released"] = release(rest, run_id)
                enqueue_deliveries(rest, channel.name, urgent=delivery.broadcast.urgent)
                break
            if time.monotonic() - renewed > renew_every:
                rest = [d.pk for d in live[index:]]
                if renew_claim(rest, run_id) < len(rest):
                    # A send stalled past the lease and the recovery took rows back: they are
                    # someone else's now. Stop here rather than send any of them twice.
                    logger.warning("notify: claim %s lost to the recovery; stopping this batch", run_id)
                    stats["lost"] = len(rest)
                    index = len(live)  # nothing of ours is left to give back
                    break
                renewed = time.monotonic()
            try:
                channel.send(delivery)
            except Gone as exc:
                mark_failed([delivery.pk], run_id, str(exc), status=Status.CANCELLED)
                channel.gone(delivery)
                stats["cancelled"] += 1
            except PermanentError as exc:
                mark_failed([delivery.pk], run_id, str(exc))
                stats["failed"] += 1
            except TemporaryError as exc:
                _count_retry(stats, retries, delivery, retry_later(delivery, run_id, str(exc)))
            except Exception as exc:  # a bug or an unforeseen error: retry, and fail in the end
                logger.exception("notify: unexpected error sending %s delivery %s", channel.name, delivery.pk)
                _count_retry(stats, retries, delivery, retry_later(delivery, run_id, repr(exc)))
            else:
                mark_sent(delivery.pk, run_id)
                stats["sent"] += 1
    except BaseException:
        # Stopped (SIGTERM twice, database gone ...): the message being sent stays 'sending' for
        # the recovery (it may have been accepted); the ones after it surely were not: give them back.
        _give_back([d.pk for d in live[index + 1 :]], run_id, channel.name, live[0].broadcast.urgent)
        raise
    finally:
        with _held_lock:
            _held.pop(run_id, None)
        channel.close()
    enqueue_rows(retries)
    return stats


def _give_back(ids: list[int], run_id: str, channel: str, urgent: bool) -> None:
    if not ids:
        return
    try:
        release(ids, run_id)
        enqueue_deliveries(ids, channel, urgent=urgent)
    except Exception:  # the recovery takes them after STALE_AFTER
        logger.exception("notify: could not give back %s unsent deliveries", len(ids))


def _requeue_early(delivery_ids: list[int]) -> None:
    """A task that runs before its rows are due (a worker whose clock runs ahead of the one that
    set not_before) enqueues them again for their time instead of leaving them to the sweep."""
    early = Delivery.objects.filter(pk__in=delivery_ids, status=Status.PENDING, not_before__gt=timing.now())
    enqueue_rows(early.values_list("pk", "channel", "broadcast__urgent", "not_before"))


def _count_retry(stats, retries, delivery: Delivery, when) -> None:
    if when is None:
        stats["failed"] += 1
    else:
        stats["retry"] += 1
        retries.append((delivery.pk, delivery.channel, delivery.broadcast.urgent, when))


# --- Recovery -----------------------------------------------------------------------------------


def recover_stale() -> int:
    """Claims left in ``sending`` by a worker that died go back to pending (or to the digest),
    and get a task again; after MAX_ATTEMPTS they have failed. Safe to run anywhere, any time:
    the UPDATEs are conditional, so of two recoveries each row is recovered once."""
    now = timing.now()
    stale = Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=now - stale_after())
    candidates = list(stale.values_list("pk", flat=True)[:5000])
    if not candidates:
        return 0
    stale.filter(pk__in=candidates, attempts__gte=MAX_ATTEMPTS).update(
        status=Status.FAILED, error="the worker stopped while sending"
    )
    marker = "recovered:" + new_run_id()
    recovered = stale.filter(pk__in=candidates).update(
        status=Case(When(digest=True, then=Value(Status.DIGEST)), default=Value(Status.PENDING)),
        claimed_by=marker,
    )
    if recovered:
        logger.warning("notify: recovered %s deliveries left in 'sending' by a stopped worker", recovered)
        _requeue(Delivery.objects.filter(pk__in=candidates, claimed_by=marker))
    return recovered


def _requeue(rows) -> None:
    """Enqueue tasks for pending rows and schedule digests for digest rows."""
    from .digest import schedule_digests

    pending, digests = [], set()
    for pk, channel, status, urgent, not_before, user_id in rows.values_list(
        "pk", "channel", "status", "broadcast__urgent", "not_before", "recipient_id"
    ):
        if status == Status.PENDING:
            pending.append((pk, channel, urgent, not_before))
        elif status == Status.DIGEST:
            digests.add((user_id, max(not_before, timing.now())))
    enqueue_rows(pending)
    if digests:
        schedule_digests(digests)


def sweep() -> dict:
    """What ``notify_recover`` does beside ``recover_stale``: broadcasts whose fan-out never
    finished and deliveries that waited SWEEP_AFTER past their time get their tasks again (a
    duplicate task is harmless: the claim decides)."""
    from .tasks import fan_out

    now = timing.now()
    cutoff = now - SWEEP_AFTER
    result = {"recovered": recover_stale(), "fan_outs": 0, "deliveries": 0}
    for pk, urgent in Broadcast.objects.filter(
        fanned_out_at__isnull=True, cancelled_at__isnull=True, created_at__lt=cutoff
    ).values_list("pk", "urgent"):
        fan_out.using(**queue_for(urgent)).enqueue(pk)
        result["fan_outs"] += 1
    overdue = Delivery.objects.filter(status__in=[Status.PENDING, Status.DIGEST], not_before__lt=cutoff)
    ids = list(overdue.values_list("pk", flat=True)[:50000])
    if ids:
        with transaction.atomic():
            marker = "swept:" + new_run_id()
            result["deliveries"] = overdue.filter(pk__in=ids).update(not_before=now, claimed_by=marker)
            _requeue(Delivery.objects.filter(pk__in=ids, claimed_by=marker))
    return result
