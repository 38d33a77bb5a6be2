"""E-mail and push carry the item's title and links, and nothing else of the item: no child's
details, no medical or absence content, even when the item is full of them."""

import re

from django.core import mail

from schoolpoort.notify.models import Delivery
from schoolpoort.notify.push import payload
from schoolpoort.notify.tasks import deliver_email
from tests.factories import GuardianshipFactory, enrolled_student
from tests.notify.notify_helpers import fan_out_now, send

SENTINEL = "SENTINEL-fever-39C-Ritalin"
URL = re.compile(r"https?://\S+")


def absence_report(world):
    """A "module object" as sensitive as they come: an absence report about a sick child."""
    child = enrolled_student(world.group3, first_name=SENTINEL, last_name=SENTINEL)
    GuardianshipFactory(student=child, user=world.users["guardian"], phone=SENTINEL)
    return child


def rendered(world, title, url):
    """Every e-mail part and push payload for one notification about (title, url)."""
    mail.outbox.clear()
    Delivery.objects.all().delete()
    fan_out_now(send([world.users["guardian"]], title=title, url=url, school=world.school, key=url))
    deliver_email.call(list(Delivery.objects.filter(channel="email").values_list("pk", flat=True)))
    (message,) = mail.outbox
    delivery = Delivery.objects.select_related("recipient", "broadcast__school").filter(channel="email").get()
    return message, payload(delivery)


def test_email_and_push_carry_only_the_title_and_links(world):
    child = absence_report(world)
    url = f"/ziekmeldingen/{child.pk}/"
    message, push = rendered(world, "Absence report received", url)
    text, html = message.body, message.alternatives[0][0]

    headers = "\n".join(f"{name}: {value}" for name, value in message.message().items())
    for part in (message.subject, text, html, headers):
        assert SENTINEL not in part
    assert SENTINEL not in str(push)
    assert message.subject == "Absence report received"
    assert set(URL.findall(text)) == {
        f"http://127.0.0.1:8000{url}",
        "http://127.0.0.1:8000/meldingen/voorkeuren/",
        message.extra_headers["List-Unsubscribe"].strip("<>"),
    }
    assert push == {"title": "Absence report received", "body": "School A1", "url": url, "tag": url}

    # Whatever the item, the rest of the message is the same template: only its title and link vary.
    other, _push = rendered(world, "Another title", "/elders/9/")

    def skeleton(body, title):
        return URL.sub("LINK", body.replace(title, "TITLE"))

    assert skeleton(text, "Absence report received") == skeleton(other.body, "Another title")
    assert skeleton(html, "Absence report received") == skeleton(other.alternatives[0][0], "Another title")
