"""The fan-out: preferences, the mail flag of guardianships, quiet hours, the urgent path, and a
constant number of queries however many recipients."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from schoolpoort.notify import planning, timing
from schoolpoort.notify.models import Delivery, DigestSchedule, Notification, Preference, PushSubscription, QuietHours
from tests.factories import GuardianshipFactory, UserFactory
from tests.notify.notify_helpers import fan_out_now, send, task_ids, tasks

TUESDAY_MORNING = (2026, 11, 24, 10, 0)
TUESDAY_EVENING = (2026, 11, 24, 20, 15)
FRIDAY_EVENING = (2026, 11, 27, 21, 0)


def deliveries(user, channel):
    return list(Delivery.objects.filter(recipient=user, channel=channel).order_by("pk"))


def device(user, n=0, **fields):
    return PushSubscription.objects.create(
        user=user, endpoint=f"https://push.example/{user.pk}/{n}", p256dh="k", auth="a", **fields
    )


def test_without_preferences_email_goes_at_once_and_push_is_on(world, clock):
    clock.set(*TUESDAY_MORNING)
    guardian = world.users["guardian"]
    phone, laptop = device(guardian, 1), device(guardian, 2)
    fan_out_now(send([guardian], school=world.school))

    (email,) = deliveries(guardian, "email")
    assert (email.status, email.not_before) == ("pending", clock.moment)
    assert [(d.subscription_id, d.status, d.not_before) for d in deliveries(guardian, "push")] == [
        (phone.pk, "pending", clock.moment),
        (laptop.pk, "pending", clock.moment),
    ]
    assert task_ids("deliver_email") == [email.pk]
    assert task_ids("deliver_push") == sorted(d.pk for d in deliveries(guardian, "push"))


@pytest.mark.parametrize(
    "choice, status, due",
    [
        (Preference.Email.DAILY, "digest", datetime.datetime(2026, 11, 24, 17, 0, tzinfo=timing.AMSTERDAM)),
        (Preference.Email.WEEKLY, "digest", datetime.datetime(2026, 11, 27, 17, 0, tzinfo=timing.AMSTERDAM)),
    ],
)
def test_a_digest_preference_holds_the_email_for_the_digest(world, clock, choice, status, due):
    clock.set(*TUESDAY_MORNING)
    guardian = world.users["guardian"]
    Preference.objects.create(user=guardian, module="news", email=choice)
    fan_out_now(send([guardian]))

    (email,) = deliveries(guardian, "email")
    assert (email.status, email.digest, email.not_before) == (status, True, due)
    assert not tasks("deliver_email").exists()
    assert list(DigestSchedule.objects.values_list("user_id", "due_at")) == [(guardian.pk, due)]
    (digest_task,) = tasks("send_digest")
    assert digest_task.run_after == due and digest_task.queue_name == "bulk"


def test_email_off_and_push_off(world, clock):
    clock.set(*TUESDAY_MORNING)
    guardian = world.users["guardian"]
    device(guardian)
    Preference.objects.create(user=guardian, module="news", email=Preference.Email.OFF, push=False)
    Preference.objects.create(user=guardian, module="calendar", email=Preference.Email.DAILY)  # another module
    fan_out_now(send([guardian]))

    assert Notification.objects.filter(recipient=guardian).exists()  # always in the app
    assert not Delivery.objects.exists()


def test_a_switched_off_device_gets_no_push(world, clock):
    clock.set(*TUESDAY_MORNING)
    guardian = world.users["guardian"]
    on, _off = device(guardian, 1), device(guardian, 2, enabled=False)
    fan_out_now(send([guardian]))
    assert [d.subscription_id for d in deliveries(guardian, "push")] == [on.pk]


def test_no_email_when_none_of_the_guardianships_receives_mail(world, clock):
    clock.set(*TUESDAY_MORNING)
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    world.child.guardianships.filter(user=guardian).update(receives_mail=False)
    # The other guardian has a second child for whom the school does send mail.
    world.child.guardianships.filter(user=other).update(receives_mail=False)
    GuardianshipFactory(user=other, student=world.classmate_of_other_group, receives_mail=True)
    staff = world.users["teacher"]  # no guardianship at all: mail as usual
    fan_out_now(send([guardian, other, staff]))

    assert set(Delivery.objects.filter(channel="email").values_list("recipient_id", flat=True)) == {
        other.pk,
        staff.pk,
    }


def test_inactive_deleted_and_missing_users_get_nothing(world, clock):
    clock.set(*TUESDAY_MORNING)
    gone = UserFactory(is_active=False)
    fan_out_now(send([gone, 987654321, None, world.users["guardian"]]))  # None: a slot nobody registered for
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [world.users["guardian"].pk]


@pytest.mark.parametrize(
    "moment, morning",
    [
        (TUESDAY_EVENING, (2026, 11, 25, 7, 30)),
        ((2026, 11, 25, 6, 0), (2026, 11, 25, 7, 30)),
        (FRIDAY_EVENING, (2026, 11, 30, 7, 30)),  # the weekend is quiet too: Monday morning
        ((2026, 11, 28, 12, 0), (2026, 11, 30, 7, 30)),  # Saturday noon
    ],
)
def test_quiet_hours_hold_push_until_the_morning_but_not_email(world, clock, moment, morning):
    clock.set(*moment)
    guardian = world.users["guardian"]
    device(guardian)
    fan_out_now(send([guardian], school=world.school))

    morning = datetime.datetime(*morning, tzinfo=timing.AMSTERDAM)
    (push,) = deliveries(guardian, "push")
    assert (push.status, push.not_before) == ("pending", morning)
    (push_task,) = tasks("deliver_push")
    assert push_task.run_after == morning
    (email,) = deliveries(guardian, "email")
    assert email.not_before == clock.moment
    assert tasks("deliver_email").get().run_after.year == 9999  # as soon as possible


def test_a_school_chooses_its_own_quiet_hours(world, clock):
    QuietHours.objects.create(school=world.school, starts_at="21:00", ends_at="08:00", weekend=False)
    guardian = world.users["guardian"]
    device(guardian)
    clock.set(*TUESDAY_EVENING)  # 20:15: not quiet at this school
    fan_out_now(send([guardian], school=world.school))
    clock.set(2026, 11, 28, 12, 0)  # Saturday: not quiet here
    fan_out_now(send([guardian], school=world.school, key="news.post:2"))
    clock.set(2026, 11, 28, 23, 0)
    fan_out_now(send([guardian], school=world.school, key="news.post:3"))

    assert [d.not_before.astimezone(timing.AMSTERDAM).strftime("%a %H:%M") for d in deliveries(guardian, "push")] == [
        "Tue 20:15",
        "Sat 12:00",
        "Sun 08:00",
    ]


def test_urgent_reaches_everyone_now_whatever_they_chose(world, clock):
    clock.set(*FRIDAY_EVENING)
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    Preference.objects.create(user=guardian, module="news", email=Preference.Email.OFF, push=False)
    Preference.objects.create(user=other, module="news", email=Preference.Email.WEEKLY)
    world.child.guardianships.filter(user=other).update(receives_mail=False)
    devices = [device(guardian, 1), device(other, 2, enabled=False)]
    fan_out_now(send([guardian, other], school=world.school, urgent=True))

    emails = Delivery.objects.filter(channel="email")
    assert sorted(emails.values_list("recipient_id", "status", "not_before")) == sorted(
        [(guardian.pk, "pending", clock.moment), (other.pk, "pending", clock.moment)]
    )
    pushes = Delivery.objects.filter(channel="push")
    assert sorted(pushes.values_list("subscription_id", "not_before")) == [(d.pk, clock.moment) for d in devices]
    assert not DigestSchedule.objects.exists()
    assert {t.queue_name for t in tasks("deliver_email")} | {t.queue_name for t in tasks("deliver_push")} == {"urgent"}


def test_running_the_fan_out_again_adds_nothing(world, clock):
    clock.set(*TUESDAY_MORNING)
    guardian = world.users["guardian"]
    device(guardian)
    broadcast = send([guardian, world.users["other_guardian"]])
    fan_out_now(broadcast)
    before = sorted(Delivery.objects.values_list("pk", "status"))
    type(broadcast).objects.filter(pk=broadcast.pk).update(fanned_out_at=None)  # as after a crash

    fan_out_now(broadcast)

    assert sorted(Delivery.objects.values_list("pk", "status")) == before
    assert Notification.objects.count() == 2


def test_the_fan_out_takes_the_same_number_of_queries_for_20_or_200_recipients(world, clock):
    clock.set(*TUESDAY_EVENING)
    users = UserFactory.create_batch(200)
    for index, user in enumerate(users):
        if index % 3 == 0:
            device(user)
        if index % 4 == 0:
            Preference.objects.create(user=user, module="news", email=Preference.Email.DAILY)
    counts = []
    for index, audience in enumerate((users[:20], users)):
        broadcast = send(audience, school=world.school, key=f"news.post:{index}")
        with CaptureQueriesContext(connection) as queries:
            fan_out_now(broadcast)
        counts.append(len(queries))
    # Ten times the recipients: only the bulk INSERTs grow (SQLite takes ~80 rows per INSERT), and
    # the digest tasks, one per user and digest time, 45 new ones here (5 were scheduled by the first).
    assert counts[1] - 45 - (counts[0] - 5) <= 6


def test_recipients_are_handled_in_chunks(world, clock, monkeypatch):
    clock.set(*TUESDAY_MORNING)
    monkeypatch.setattr(planning, "CHUNK", 7)
    users = UserFactory.create_batch(30)
    fan_out_now(send(users))
    assert Notification.objects.count() == 30
    assert len(task_ids("deliver_email")) == 30
