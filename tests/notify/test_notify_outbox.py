"""The outbox: claims, exactly-once under a worker that died, retries with backoff, recovery."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from schoolpoort.notify import outbox
from schoolpoort.notify.email import notification_message
from schoolpoort.notify.models import Broadcast, Delivery, Notification
from schoolpoort.notify.outbox import Channel, PermanentError, TemporaryError, claim, deliver
from tests.factories import UserFactory
from tests.notify.notify_helpers import fan_out_now, run_worker, send, task_ids, tasks
from tests.world import build_world

SECOND = datetime.timedelta(seconds=1)


class FakeChannel(Channel):
    """Records what it sends; raises the queued errors first."""

    name = "email"

    def __init__(self, *errors):
        self.errors = list(errors)
        self.sent = []
        self.opened = 0

    def open(self):
        self.opened += 1

    def send(self, delivery):
        if self.errors:
            raise self.errors.pop(0)
        self.sent.append(delivery.pk)


def emails_for(world, clock, n=1):
    clock.set(2026, 11, 24, 10, 0)
    users = [world.users["guardian"]] + UserFactory.create_batch(n - 1)
    fan_out_now(send(users))
    return list(Delivery.objects.filter(channel="email").order_by("pk").values_list("pk", flat=True))


def test_two_claims_on_the_same_rows_never_both_win(world, clock):
    ids = emails_for(world, clock, 4)
    assert claim(ids, "worker-a") == 4
    assert claim(ids, "worker-b") == 0
    assert set(Delivery.objects.values_list("claimed_by", flat=True)) == {"worker-a"}


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's single writer hides races")
def test_concurrent_claims_split_the_rows_on_postgresql():
    build_world()
    users = UserFactory.create_batch(300)
    fan_out_now(send(users))
    ids = list(Delivery.objects.values_list("pk", flat=True))
    barrier = threading.Barrier(4)
    won = {}

    def worker(name):
        barrier.wait()
        try:
            won[name] = claim(ids, name)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(won.values()) == len(ids)
    assert Delivery.objects.filter(status="sending").count() == len(ids)


@pytest.mark.django_db(transaction=True)
def test_each_recipient_gets_exactly_one_email_after_a_worker_died_mid_batch(monkeypatch):
    """Some rows are stuck in 'sending' by a worker that died (its task stays RUNNING for ever),
    others are pending: the real worker sends every recipient exactly one e-mail."""
    monkeypatch.setattr(outbox, "BATCH_SIZE", {"email": 3, "push": 3})
    world = build_world()
    users = UserFactory.create_batch(8) + [world.users["guardian"], world.users["other_guardian"]]
    with transaction.atomic():
        broadcast = send(users, school=world.school)
    fan_out_now(broadcast)
    assert tasks("deliver_email").count() == 4
    dead_task = tasks("deliver_email").order_by("enqueued_at").first()
    dead_ids = dead_task.args_kwargs["args"][0]
    DBTaskResult.objects.filter(pk=dead_task.pk).update(status="RUNNING", worker_ids=["dead-worker"])
    long_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=10)
    Delivery.objects.filter(pk__in=dead_ids).update(
        status="sending", claimed_by="dead-worker", claimed_at=long_ago, attempts=1
    )

    run_worker()
    run_worker()  # a second worker pass finds nothing left to do

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted(u.email for u in users)
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    assert Notification.objects.count() == len(users)


def test_the_message_id_is_the_same_on_every_attempt(world, clock):
    (pk,) = emails_for(world, clock)
    delivery = Delivery.objects.select_related("recipient", "broadcast__school").get(pk=pk)
    first, second = notification_message(delivery), notification_message(delivery)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"]
    assert first.extra_headers["Message-ID"].startswith(f"<delivery.{pk}.")


def test_a_temporary_error_is_retried_with_backoff_and_fails_after_five_attempts(world, clock):
    (pk,) = emails_for(world, clock)
    DBTaskResult.objects.all().delete()
    waits = []
    for attempt in range(1, 6):
        stats = deliver(FakeChannel(TemporaryError("451 try again later")), [pk])
        delivery = Delivery.objects.get(pk=pk)
        assert delivery.attempts == attempt
        if attempt < 5:
            assert (stats["retry"], delivery.status) == (1, "pending")
            waits.append(round((delivery.not_before - clock.moment).total_seconds() / 60))
            (retry_task,) = tasks("deliver_email")
            assert retry_task.run_after == delivery.not_before
            retry_task.delete()
            assert deliver(FakeChannel(), [pk])["claimed"] == 0  # not before its time ...
            assert tasks("deliver_email").get().run_after == delivery.not_before  # ... and it is queued for then
            tasks("deliver_email").delete()
            clock.moment = delivery.not_before
    assert waits == [1, 5, 15, 60]
    assert (delivery.status, delivery.error) == ("failed", "451 try again later")
    assert not tasks("deliver_email").exists()


def test_a_permanent_error_fails_at_once_and_the_batch_goes_on(world, clock):
    ids = emails_for(world, clock, 3)
    channel = FakeChannel(PermanentError("550 no such user"))
    stats = deliver(channel, ids)
    assert (stats["failed"], stats["sent"], channel.opened) == (1, 2, 1)
    assert list(Delivery.objects.order_by("pk").values_list("status", flat=True)) == ["failed", "sent", "sent"]


def test_an_unexpected_error_is_retried(world, clock):
    (pk,) = emails_for(world, clock)
    deliver(FakeChannel(KeyError("bug")), [pk])
    assert Delivery.objects.get(pk=pk).status == "pending"


def test_a_claim_that_runs_out_of_time_gives_the_rest_back(world, clock, monkeypatch):
    ids = emails_for(world, clock, 3)
    DBTaskResult.objects.all().delete()
    monkeypatch.setattr(outbox, "CLAIM_BUDGET", -1)
    stats = deliver(FakeChannel(), ids)
    assert stats["released"] == 3
    assert set(Delivery.objects.values_list("status", "attempts")) == {("pending", 0)}
    assert task_ids("deliver_email") == ids


def test_what_the_recipient_already_read_or_what_was_deleted_is_not_sent(world, clock):
    ids = emails_for(world, clock, 2)
    Notification.objects.filter(recipient=world.users["guardian"]).update(read_at=clock.moment)
    channel = FakeChannel()
    assert deliver(channel, ids)["cancelled"] == 1
    assert channel.sent == [ids[1]]


def test_stale_claims_are_recovered_at_the_start_of_every_delivery_task(world, clock):
    ids = emails_for(world, clock, 3)
    DBTaskResult.objects.all().delete()
    Delivery.objects.filter(pk=ids[0]).update(  # not renewed for longer than the lease
        status="sending", claimed_by="dead", claimed_at=clock.moment - outbox.stale_after() - SECOND, attempts=1
    )
    Delivery.objects.filter(pk=ids[1]).update(  # a live worker renews its claim every quarter of the lease
        status="sending", claimed_by="alive", claimed_at=clock.moment - outbox.stale_after() / 4, attempts=1
    )
    Delivery.objects.filter(pk=ids[2]).update(
        status="sending", claimed_by="dead", claimed_at=clock.moment - datetime.timedelta(hours=1), attempts=5
    )
    deliver(FakeChannel(), [])  # any delivery task

    assert list(Delivery.objects.order_by("pk").values_list("status", flat=True)) == ["pending", "sending", "failed"]
    assert task_ids("deliver_email") == [ids[0]]


def test_notify_recover_re_enqueues_stuck_fan_outs_and_overdue_deliveries(world, clock):
    ids = emails_for(world, clock, 2)
    stuck = send([world.users["guardian"]], key="news.post:9")
    DBTaskResult.objects.all().delete()
    Broadcast.objects.filter(pk=stuck.pk).update(created_at=clock.moment - datetime.timedelta(hours=1))
    clock.advance(minutes=20)

    call_command("notify_recover", verbosity=0)

    assert [t.args_kwargs["args"] for t in tasks("fan_out")] == [[stuck.pk]]
    assert task_ids("deliver_email") == ids
    assert set(Delivery.objects.values_list("not_before", flat=True)) == {clock.moment}


def test_a_worker_stopped_mid_batch_leaves_only_the_message_in_flight_to_the_recovery(world, clock):
    ids = emails_for(world, clock, 4)
    DBTaskResult.objects.all().delete()

    class StoppedChannel(FakeChannel):
        def send(self, delivery):
            if delivery.pk == ids[1]:
                raise SystemExit(1)  # the worker is told to stop, hard
            super().send(delivery)

    with pytest.raises(SystemExit):
        deliver(StoppedChannel(), ids)

    assert list(Delivery.objects.order_by("pk").values_list("status", flat=True)) == [
        "sent",
        "sending",  # it may have been accepted: only the recovery decides, once the lease ran out
        "pending",
        "pending",
    ]
    assert task_ids("deliver_email") == ids[2:]


def test_claims_and_sent_marks_go_by_primary_key_never_by_the_status_index(world, clock):
    """In a burst the statistics say 'pending' and 'sending' are rare, and the (status, channel,
    not_before) index would be walked over every pending row for each claim and each sent mark.
    The hot statements compare the status in a form that index cannot answer."""
    ids = emails_for(world, clock, 3)
    with CaptureQueriesContext(connection) as queries:
        deliver(FakeChannel(), ids)
    claim_and_mark = ('UPDATE "notify_delivery" SET "status" = \'sending\'', 'UPDATE "notify_delivery" SET status = ')
    hot = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(claim_and_mark)
        or (q["sql"].startswith('SELECT "notify_delivery"."id"') and "claimed_by" in q["sql"])
    ]
    assert len(hot) == 1 + 1 + 3  # the claim, the claimed rows, a mark per message
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    status_index = Delivery._meta.indexes[0].name
    assert Delivery._meta.indexes[0].fields == ["status", "channel", "not_before"]
    with connection.cursor() as cursor:
        for sql in hot:
            cursor.execute(explain + sql)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert status_index not in plan, plan
    assert set(Delivery.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"sent"}



class SlowSends:
    """The monotonic clock of ``outbox`` (only there), moved on by the test's channel."""

    def __init__(self):
        self.now = 0.0

    def monotonic(self):
        return self.now


def test_a_long_batch_renews_its_claim_so_the_recovery_leaves_it_alone(world, clock, monkeypatch):
    ids = emails_for(world, clock, 3)
    DBTaskResult.objects.all().delete()
    slow = SlowSends()
    monkeypatch.setattr(outbox, "time", slow)
    recovered = []

    class SlowChannel(FakeChannel):
        def send(self, delivery):
            recovered.append(outbox.recover_stale())  # another worker's heartbeat, at any moment
            super().send(delivery)
            slow.now += 30  # each message takes 30 s: three of them outlast the 45 s lease
            clock.advance(seconds=30)

    channel = SlowChannel()
    stats = deliver(channel, ids)
    assert stats["sent"] == 3 and stats["lost"] == 0 and recovered == [0, 0, 0]
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_heartbeat_keeps_a_slow_send_claimed_so_no_other_worker_sends_it_again(world, clock, monkeypatch):
    ids = emails_for(world, clock, 2)
    DBTaskResult.objects.all().delete()
    slow = SlowSends()
    monkeypatch.setattr(outbox, "time", slow)
    recovered = []

    class SlowServer(FakeChannel):
        def send(self, delivery):
            # One SMTP exchange longer than the lease; this worker's heartbeat beats meanwhile.
            for _beat in range(4):
                clock.advance(seconds=outbox.stale_after().total_seconds() / 2)
                outbox.renew_held_claims()
                recovered.append(outbox.recover_stale())  # another worker's heartbeat
            super().send(delivery)

    stats = deliver(SlowServer(), ids)
    assert stats["sent"] == 2 and stats["lost"] == 0 and set(recovered) == {0}
    assert outbox._held == {}  # nothing held once the batch is done
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_send_that_stalled_past_the_lease_stops_the_batch_instead_of_sending_twice(world, clock, monkeypatch):
    ids = emails_for(world, clock, 3)
    DBTaskResult.objects.all().delete()
    slow = SlowSends()
    monkeypatch.setattr(outbox, "time", slow)

    class StallingChannel(FakeChannel):
        def send(self, delivery):
            super().send(delivery)
            if delivery.pk == ids[0]:
                # The mail server hung for twice the lease: another worker's heartbeat took the rest back.
                stall = outbox.stale_after().total_seconds() * 2
                slow.now += stall
                clock.advance(seconds=stall)
                assert outbox.recover_stale() == 3  # the one in flight too: the documented narrow case

    channel = StallingChannel()
    stats = deliver(channel, ids)
    assert channel.sent == [ids[0]] and stats["lost"] == 2
    # All three are pending again for whoever takes them; the stalled worker sent none of the rest.
    assert set(Delivery.objects.values_list("status", flat=True)) == {"pending"}
