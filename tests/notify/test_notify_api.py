"""notify() and its companions: the audience, the transaction, read state, cancel, preview."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from schoolpoort.notify.api import cancel, mark_read, notify, preview, unread_count
from schoolpoort.notify.models import Broadcast, Delivery, Notification, Preference, PushSubscription
from tests.factories import GuardianshipFactory, UserFactory, enrolled_student
from tests.notify.notify_helpers import fan_out_now, send, tasks


def test_a_family_with_three_children_in_one_group_gets_one_notification(world):
    mother = UserFactory()
    children = [enrolled_student(world.group3) for _ in range(3)]
    for child in children:
        GuardianshipFactory(student=child, user=mother)
    # The news module gives one entry per child's guardian: the mother three times.
    audience = [g.user for child in children for g in child.guardianships.all()]
    assert len(audience) == 3

    broadcast = send(audience)
    fan_out_now(broadcast)

    assert broadcast.recipient_ids == [mother.pk]
    assert Notification.objects.filter(recipient=mother).count() == 1
    assert Delivery.objects.filter(recipient=mother, channel="email").count() == 1


def test_two_separated_guardians_each_get_their_own(world):
    guardians = [g.user for g in world.child.guardianships.all()]
    broadcast = send(guardians + [g.pk for g in guardians])  # users and ids mixed, twice
    fan_out_now(broadcast)

    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(g.pk for g in guardians)
    assert Delivery.objects.filter(channel="email").count() == 2


def test_a_queryset_of_users_is_an_audience(world):
    broadcast = send(type(world.users["guardian"]).objects.filter(email__startswith="guardian"))
    assert len(broadcast.recipient_ids) == 3  # guardian, guardian_other_group, guardian_other_school


def test_notify_writes_the_broadcast_and_its_task_in_the_callers_transaction(world):
    with transaction.atomic():
        broadcast = send([world.users["guardian"]])
        assert tasks("fan_out").get().args_kwargs["args"] == [broadcast.pk]
    assert Broadcast.objects.count() == 1


def test_a_rolled_back_post_leaves_no_broadcast_and_no_task(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        send([world.users["guardian"]])
        raise RuntimeError("the post could not be saved")

    assert Broadcast.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_urgent_goes_to_the_urgent_queue_with_priority(world):
    send([world.users["guardian"]], urgent=True)
    task = tasks("fan_out").get()
    assert (task.queue_name, task.priority) == ("urgent", 50)
    send([world.users["guardian"]], key="news.post:2")
    assert tasks("fan_out").filter(queue_name="default").count() == 1


def test_nobody_to_tell_makes_no_task(world):
    broadcast = send([])
    assert broadcast.fanned_out_at is not None
    assert not tasks("fan_out").exists()


@pytest.mark.parametrize(
    "kwargs",
    [{"module": "nonsense"}, {"url": "https://evil.example/"}, {"url": "//evil.example/"}, {"url": "nieuws/1/"}],
)
def test_notify_refuses_unknown_modules_and_links_off_the_site(world, kwargs):
    with pytest.raises(ValueError):
        send([world.users["guardian"]], **kwargs)


def test_mark_read_and_unread_count(world):
    guardian = world.users["guardian"]
    fan_out_now(send([guardian], key="news.post:1"))
    fan_out_now(send([guardian], key="news.post:2"))
    fan_out_now(send([guardian], key="news.post:1", event="news.reminder"))
    assert unread_count(guardian) == 3

    assert mark_read(guardian, "news.post:1") == 2
    assert unread_count(guardian) == 1
    assert mark_read(world.users["anonymous"], "news.post:2") == 0
    assert unread_count(world.users["anonymous"]) == 0


def test_cancel_stops_what_has_not_gone_out_and_removes_the_in_app_rows(world, clock):
    clock.set(2026, 11, 24, 10, 0)  # a Tuesday morning
    guardian, other = world.users["guardian"], world.users["other_guardian"]
    Preference.objects.create(user=other, module="news", email=Preference.Email.DAILY)
    broadcast = send([guardian, other])
    fan_out_now(broadcast)
    sent = Delivery.objects.get(recipient=guardian)
    Delivery.objects.filter(pk=sent.pk).update(status=Delivery.Status.SENT)
    fan_out_now(send([guardian], key="news.post:2"))

    result = cancel("news.post:1")

    assert result["deliveries_cancelled"] == 1  # the digest delivery; the sent one stays sent
    assert dict(Delivery.objects.filter(broadcast=broadcast).values_list("recipient_id", "status")) == {
        guardian.pk: "sent",
        other.pk: "cancelled",
    }
    assert list(Notification.objects.values_list("key", flat=True)) == ["news.post:2"]
    broadcast.refresh_from_db()
    assert broadcast.cancelled_at is not None


def test_a_cancelled_broadcast_is_not_fanned_out(world):
    broadcast = send([world.users["guardian"]])
    cancel(broadcast.key)
    assert fan_out_now(broadcast) == {"recipients": 0, "deliveries": 0}
    assert not Notification.objects.exists()


def test_preview_counts_what_would_happen_now(world, clock):
    clock.set(2026, 11, 24, 20, 0)  # Tuesday evening: quiet hours by default
    users = {name: UserFactory() for name in ("now", "daily", "off", "no_mail")}
    Preference.objects.create(user=users["daily"], module="news", email=Preference.Email.DAILY)
    Preference.objects.create(user=users["off"], module="news", email=Preference.Email.OFF, push=False)
    GuardianshipFactory(user=users["no_mail"], student=world.child, receives_mail=False)
    for index, user in enumerate(users.values()):
        PushSubscription.objects.create(user=user, endpoint=f"https://push.example/{index}", p256dh="k", auth="a")

    counts = preview(list(users.values()), "news", urgent=False, school=world.school)
    assert counts == {
        "recipients": 4,
        "email_now": 1,
        "email_digest": 1,
        "email_none": 2,
        "push_now": 0,
        "push_held": 3,  # "off" switched push off for news
    }
    urgent = preview([u.pk for u in users.values()], "news", urgent=True, school=world.school)
    assert (urgent["email_now"], urgent["push_now"], urgent["push_held"]) == (4, 4, 0)


def test_notify_is_importable_as_documented():
    assert callable(notify)
