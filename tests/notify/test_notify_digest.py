"""Digests: one e-mail per user per digest time, each item once, scheduled once."""

import datetime

from django.conf import settings
from django.core import mail

from schoolpoort.notify.api import cancel, mark_read
from schoolpoort.notify.models import Delivery, DigestSchedule, Preference
from schoolpoort.notify.tasks import send_digest
from schoolpoort.notify.timing import AMSTERDAM
from tests.factories import GuardianshipFactory, enrolled_student
from tests.notify.notify_helpers import fan_out_now, send, tasks


def run_digest_tasks():
    for task in tasks("send_digest"):
        send_digest.call(*task.args_kwargs["args"])
        task.delete()


def test_one_digest_lists_each_item_once(world, clock):
    clock.set(2026, 11, 24, 9, 0)  # Tuesday
    guardian = world.users["guardian"]
    guardian.language = "en"
    guardian.save()
    for _ in range(2):  # two more children in the same group
        GuardianshipFactory(student=enrolled_student(world.group3), user=guardian)
    Preference.objects.create(user=guardian, module="news", email=Preference.Email.DAILY)
    Preference.objects.create(user=guardian, module="calendar", email=Preference.Email.DAILY)
    family = [g.user for g in guardian.guardianships.all()]  # the same parent three times
    fan_out_now(send(family, key="news.post:1", title="Sports day"))
    fan_out_now(send(family, key="news.post:1", title="Sports day (new time)", event="news.updated"))
    fan_out_now(send(family, key="calendar.event:5", title="Parents' evening", module="calendar", url="/agenda/5/"))
    fan_out_now(send(family, key="news.post:2", title="Read already"))
    fan_out_now(send(family, key="news.post:3", title="Deleted"))
    mark_read(guardian, "news.post:2")
    cancel("news.post:3")

    assert DigestSchedule.objects.count() == 1
    assert tasks("send_digest").count() == 1
    assert not mail.outbox

    clock.set(2026, 11, 24, 17, 0)
    run_digest_tasks()

    (message,) = mail.outbox
    assert message.subject == "New in Schoolpoort: 2 messages"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.body.count("Sports day (new time)") == 1
    assert "Sports day\n" not in message.body  # the older title of the same item is not listed
    assert message.body.count("Parents' evening") == 1
    assert settings.SITE_URL + "/agenda/5/" in message.body
    assert "Read already" not in message.body and "Deleted" not in message.body
    html = message.alternatives[0][0]
    assert html.count("Sports day (new time)") == 1
    statuses = dict(Delivery.objects.values_list("broadcast__title", "status"))
    assert statuses == {
        "Sports day": "sent",
        "Sports day (new time)": "sent",
        "Parents' evening": "sent",
        "Read already": "cancelled",
        "Deleted": "cancelled",
    }
    assert not DigestSchedule.objects.exists()


def test_a_digest_task_that_runs_twice_sends_once(world, clock):
    clock.set(2026, 11, 24, 9, 0)
    guardian = world.users["guardian"]
    Preference.objects.create(user=guardian, module="news", email=Preference.Email.WEEKLY)
    fan_out_now(send([guardian]))
    (task,) = tasks("send_digest")
    clock.set(2026, 11, 27, 17, 0)  # Friday

    send_digest.call(*task.args_kwargs["args"])
    send_digest.call(*task.args_kwargs["args"])

    assert len(mail.outbox) == 1


def test_what_arrives_after_the_digest_went_goes_in_the_next_one(world, clock):
    clock.set(2026, 11, 24, 9, 0)
    guardian = world.users["guardian"]
    Preference.objects.create(user=guardian, module="news", email=Preference.Email.DAILY)
    fan_out_now(send([guardian], key="news.post:1"))
    clock.set(2026, 11, 24, 17, 0)
    run_digest_tasks()
    clock.set(2026, 11, 24, 18, 0)
    fan_out_now(send([guardian], key="news.post:2", title="Tomorrow's trip"))

    (task,) = tasks("send_digest")
    due = datetime.datetime.fromisoformat(task.args_kwargs["args"][1])
    assert due == datetime.datetime(2026, 11, 25, 17, 0, tzinfo=AMSTERDAM)
    clock.set(2026, 11, 25, 17, 0)
    run_digest_tasks()
    assert len(mail.outbox) == 2
    assert "Tomorrow's trip" in mail.outbox[1].body
