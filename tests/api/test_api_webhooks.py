"""Webhooks: a school admin adds one on the token page (the signing secret shown once), a new
absence is POSTed by the task queue to a REAL local HTTP server that checks the signature; a
failure is tried again with back-off (1 min, 5, 30, 2 h, 12 h, then given up) and the log on the
page shows it. Bookings, cancellations and finished imports are announced too, only to the
school's own webhooks. Hostile addresses are refused; another school's admin gets 404."""

import datetime
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from django_tasks_db.models import DBTaskResult

from schoolpoort.absences.actions import report_absence
from schoolpoort.api import webhooks
from schoolpoort.api.models import EVENTS, Webhook, WebhookDelivery
from schoolpoort.api.tasks import deliver
from schoolpoort.conferences import booking as domain
from schoolpoort.conferences.booking import Pick
from schoolpoort.core.scopes import school_scope
from schoolpoort.imports.run import apply_run, preview
from schoolpoort.lib import events
from tests.accounts.accounts_helpers import app_for
from tests.conferences.conferences_helpers import add_session, make_round
from tests.imports.samples import edexml
from tests.world import build_world


def verify(secret: bytes, timestamp: str, signature: str, body: bytes, tolerance: int = 300) -> bool:
    """The check of docs/api.md, as a receiving system does it."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > tolerance:
        return False  # too old (or from the future): a replay
    expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class Receiver:
    """A school's system on 127.0.0.1: answers every POST with ``status`` and keeps what came."""

    def __init__(self):
        self.status = 200
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/schoolpoort"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True  # only for this server on loopback
    server = Receiver()
    yield server
    server.stop()


def run_worker():
    """The real database worker, in this process, until the queue is empty (transactional tests)."""
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def run_queued_tries():
    """The tries waiting in the queue that are due, run as the worker runs them, in the test's transaction."""
    with scopes_disabled():
        due = list(DBTaskResult.objects.filter(task_path="schoolpoort.api.tasks.deliver", status="READY")
                   .filter(Q(run_after__lte=timezone.now()) | Q(run_after__year=9999))  # 9999: "no delay"
                   .values_list("pk", "args_kwargs"))
        DBTaskResult.objects.filter(pk__in=[pk for pk, _args in due]).update(status="SUCCESSFUL")
    with scope():
        for _pk, args in due:
            deliver.call(*args["args"])


def add_on_page(client, world, url, chosen=("absence.reported",), user="director"):
    client.force_login(world.users[user])
    return client.post(reverse("apitokens:add_webhook", args=[world.school.pk]), {"url": url, "events": list(chosen)})


def make_hook(world, url="https://sis.example.org/hook", chosen=tuple(EVENTS), school=None):
    school = school or world.school
    with school_scope([school.pk]):
        return webhooks.create_webhook(world.users["director"], school, url=url, events=list(chosen))


def deliveries(**filters):
    with school_scope_all():
        return list(WebhookDelivery.objects.filter(**filters).order_by("pk"))


def school_scope_all():
    return scopes_disabled()


def test_the_kernels_events_are_the_ones_a_webhook_offers():
    assert set(events.EVENTS) == set(EVENTS)


@pytest.mark.django_db(transaction=True)  # the real worker, as in production
def test_a_new_absence_reaches_the_schools_system_signed(client, world, receiver):
    response = add_on_page(client, world, receiver.url)
    assert response.status_code == 302
    page = client.get(reverse("apitokens:list", args=[world.school.pk])).content.decode()
    assert 'id="new-webhook-secret"' in page
    with school_scope_all():
        hook = Webhook.objects.get()
    assert hook.secret.startswith("whsec_") and hook.secret in page
    assert hook.secret not in client.get(reverse("apitokens:list", args=[world.school.pk])).content.decode()  # once

    absence = report_absence(world.users["guardian"], world.child, reason="sick", starts_on=timezone.localdate(),
                             note="Koorts en hoofdpijn")
    run_worker()
    (headers, body), = receiver.received
    assert headers["content-type"] == "application/json" and headers["x-schoolpoort-event"] == "absence.reported"
    assert verify(hook.secret.encode(), headers["x-schoolpoort-timestamp"], headers["x-schoolpoort-signature"], body)
    assert not verify(b"whsec_wrong", headers["x-schoolpoort-timestamp"], headers["x-schoolpoort-signature"], body)
    old = str(int(time.time()) - 301)
    assert not verify(hook.secret.encode(), old, headers["x-schoolpoort-signature"], body)
    message = json.loads(body)
    assert message["event"] == "absence.reported" and message["school_id"] == world.school.pk
    assert message["data"]["absence_id"] == absence.pk and message["data"]["student_number"] == world.child.sis_id
    assert "Koorts" not in body.decode()  # never the note
    (delivery,) = deliveries()
    assert delivery.status == "delivered" and delivery.attempts == 1 and delivery.last_status_code == 200
    page = client.get(reverse("apitokens:list", args=[world.school.pk])).content.decode()
    assert f'id="delivery-{delivery.pk}"' in page and "delivery--delivered" in page


def test_a_failure_is_tried_again_with_back_off_and_then_given_up(client, world, receiver):
    add_on_page(client, world, receiver.url)
    receiver.status = 500
    before = timezone.now()
    report_absence(world.users["guardian"], world.child, reason="sick", starts_on=timezone.localdate())
    run_queued_tries()
    (delivery,) = deliveries()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 500
    assert before + datetime.timedelta(minutes=1) <= delivery.next_attempt_at <= timezone.now() + datetime.timedelta(
        minutes=1)
    with school_scope_all():
        retry = DBTaskResult.objects.filter(task_path="schoolpoort.api.tasks.deliver", status="READY").get()
    assert retry.run_after == delivery.next_attempt_at and retry.args_kwargs["args"] == [delivery.pk]
    page = client.get(reverse("apitokens:list", args=[world.school.pk])).content.decode()
    assert "delivery--pending" in page and "500" in page

    gaps = []
    for _n in range(5):  # the queued tries, run now rather than waited for
        now = timezone.now()
        with school_scope([world.school.pk]):
            webhooks.attempt(delivery.pk, now=now)
        delivery = deliveries()[0]
        gaps.append(delivery.next_attempt_at - now if delivery.next_attempt_at else None)
    minutes = datetime.timedelta(minutes=1)
    assert gaps == [5 * minutes, 30 * minutes, 120 * minutes, 720 * minutes, None]
    assert delivery.status == "failed" and delivery.attempts == 6 and len(receiver.received) == 6
    receiver.status = 200
    with school_scope([world.school.pk]):
        assert webhooks.attempt(delivery.pk) == "gone"  # given up is given up
    assert "delivery--failed" in client.get(reverse("apitokens:list", args=[world.school.pk])).content.decode()


def test_a_system_that_is_down_is_tried_again(client, world, receiver):
    add_on_page(client, world, receiver.url)
    receiver.stop()
    report_absence(world.users["guardian"], world.child, reason="sick", starts_on=timezone.localdate())
    run_queued_tries()
    (delivery,) = deliveries()
    assert delivery.status == "pending" and delivery.last_status_code is None and delivery.last_error
    assert delivery.next_attempt_at is not None


def test_bookings_cancellations_and_imports_are_announced_to_the_schools_own_webhooks(world):
    hook = make_hook(world).webhook
    absences_only = make_hook(world, chosen=["absence.reported"]).webhook
    elsewhere = make_hook(world, school=world.other_school).webhook
    round = make_round(world)
    add_session(round, world.users["teacher"], world.group3)
    with school_scope([world.school.pk]):
        slot = domain.free_slots(round, [world.group3.pk])[0]
        booked = domain.book(round, world.users["guardian"], [Pick(world.child.pk, slot.pk)]).made_bookings[0]
        domain.cancel_booking(round, booked.pk)
        run, _result = preview(school=world.school, user=world.users["administration"], filename="EDEX.XML",
                               data=edexml())
        apply_run(run, world.users["administration"])
    sent = deliveries()
    assert [d.event for d in sent] == ["booking.made", "booking.cancelled", "import.finished"]
    assert {d.webhook_id for d in sent} == {hook.pk} and absences_only.pk != elsewhere.pk
    made = json.loads(sent[0].body)["data"]
    assert made["booking_id"] == booked.pk and made["student_id"] == world.child.pk and made["starts_at"]
    assert json.loads(sent[2].body)["data"]["counts"]["added"] == 3


@pytest.mark.parametrize("url", [
    "http://sis.example.org/hook",  # not https
    "https://127.0.0.1/hook",  # a number, not a name
    "https://sis.example.org:8443/hook",  # not the standard port
    "https://intern.example.org/hook",  # resolves to a private address
    "https://user:pass@sis.example.org/hook",
])
def test_hostile_addresses_are_refused(client, world, monkeypatch, url):
    monkeypatch.setattr(webhooks, "resolver", lambda host, port: ["10.0.0.5" if host.startswith("intern") else
                                                                  "93.184.216.34"])
    response = add_on_page(client, world, url)
    assert response.status_code == 422 and 'id="webhook-form"' in response.content.decode()
    with school_scope_all():
        assert not Webhook.objects.exists()
    assert add_on_page(client, world, "https://sis.example.org/hook").status_code == 302


def test_an_address_that_turns_private_later_is_not_called(world, monkeypatch):
    monkeypatch.setattr(webhooks, "resolver", lambda host, port: ["93.184.216.34"])
    make_hook(world, chosen=["absence.reported"])
    monkeypatch.setattr(webhooks, "resolver", lambda host, port: ["127.0.0.1"])  # DNS rebinding
    report_absence(world.users["guardian"], world.child, reason="sick", starts_on=timezone.localdate())
    run_queued_tries()
    (delivery,) = deliveries()
    assert delivery.attempts == 1 and delivery.last_status_code is None and delivery.status == "pending"


@pytest.mark.parametrize("role", ["board_admin_other_board", "teacher", "administration", "guardian"])
def test_only_the_schools_admins_manage_webhooks(client, world, role):
    hook = make_hook(world).webhook
    app_for(world.users[role])
    client.force_login(world.users[role])
    assert client.post(reverse("apitokens:add_webhook", args=[world.school.pk]),
                       {"url": "https://sis.example.org/x", "events": ["booking.made"]}).status_code == 404
    assert client.post(reverse("apitokens:delete_webhook", args=[world.school.pk, hook.pk])).status_code == 404
    with school_scope_all():
        assert Webhook.objects.count() == 1


def test_a_director_removes_a_webhook_and_the_other_schools_stay(client, world):
    hook = make_hook(world).webhook
    other = make_hook(world, school=world.other_school).webhook
    client.force_login(world.users["director"])
    assert client.post(reverse("apitokens:delete_webhook", args=[world.school.pk, other.pk])).status_code == 404
    assert client.post(reverse("apitokens:delete_webhook", args=[world.school.pk, hook.pk])).status_code == 302
    with school_scope_all():
        assert list(Webhook.objects.values_list("pk", flat=True)) == [other.pk]


def test_the_token_page_costs_the_same_queries_with_more_webhooks_and_deliveries(client, world):
    client.force_login(world.users["director"])
    url = reverse("apitokens:list", args=[world.school.pk])
    make_hook(world)
    report_absence(world.users["guardian"], world.child, reason="sick", starts_on=timezone.localdate())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_hook(world)
    make_hook(world)
    for day in range(1, 5):
        report_absence(world.users["guardian"], world.child, reason="doctor",
                       starts_on=timezone.localdate() - datetime.timedelta(days=day))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert page.count('class="delivery ') == 5 + 4 + 4  # the first hook had one already
    assert len(many) == len(few)


def test_the_deploy_check_refuses_private_webhook_addresses(settings):
    from schoolpoort.api.checks import check_webhook_addresses

    assert check_webhook_addresses(None) == []
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    assert [error.id for error in check_webhook_addresses(None)] == ["api.E001"]
