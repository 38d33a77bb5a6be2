import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management import call_command
from django_scopes import scope
from django_tasks_db.models import DBTaskResult

from schoolpoort.notify.api import notify
from schoolpoort.notify.models import Broadcast, PushSubscription
from schoolpoort.notify.tasks import fan_out


def run_worker():
    """The real database worker, in this process, until the queue is empty."""
    with scope():  # as in the worker process: no scope until a task declares its own
        call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def send(recipients, *, key="news.post:1", event="news.published", title="Schoolreisje naar Artis", **kwargs):
    kwargs.setdefault("module", "news")
    kwargs.setdefault("url", "/nieuws/1/")
    return notify(recipients, event=event, key=key, title=title, **kwargs)


def fan_out_now(broadcast: Broadcast) -> dict:
    """Run the broadcast's fan-out here (as the worker would), leaving the delivery tasks queued."""
    return fan_out.call(broadcast.pk)


def tasks(name: str):
    return DBTaskResult.objects.filter(task_path=f"schoolpoort.notify.tasks.{name}")


def task_ids(name: str) -> list[int]:
    """The delivery ids of every queued task ``name``, flattened."""
    return sorted(i for t in tasks(name) for i in t.args_kwargs["args"][0])


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class Browser:
    """The browser side of a push subscription: its own EC key and auth secret."""

    def __init__(self):
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth = b"0123456789abcdef"
        self.p256dh = b64(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscribe(self, user, endpoint: str, **fields) -> PushSubscription:
        return PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=self.p256dh, auth=b64(self.auth), label="Firefox on Linux", **fields
        )
