"""The e-mail channel: template triplets rendered in the recipient's language, sent over one SMTP
connection per batch. A message says what the item is called and links to it, to the notification
preferences and to a one-click unsubscribe: never anything else from the item."""

from __future__ import annotations

import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.html import escape

from schoolpoort.accounts.emails import absolute_url
from schoolpoort.core.modules import MODULES
from schoolpoort.lib.text import plain_line

from .outbox import Channel, PermanentError, TemporaryError
from .unsubscribe import unsubscribe_url

TEMPLATES = "notify/email/"


def language_of(user) -> str:
    supported = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in supported else settings.LANGUAGE_CODE


def message_id(kind: str, number: int) -> str:
    """The same Message-ID on every attempt of the same delivery, so that a duplicate (see
    outbox.py) is recognisable; the HMAC keeps ids of two installations apart."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "schoolpoort.invalid"
    digest = salted_hmac("schoolpoort.notify.message-id", f"{kind}.{number}", algorithm="sha256").hexdigest()[:16]
    return f"<{kind}.{number}.{digest}@{domain}>"


# The parts of a message that differ per recipient are rendered as these markers and filled in
# afterwards, so that a batch renders its templates once per broadcast and language.
NAME, UNSUBSCRIBE = "\x00recipient-name\x00", "\x00unsubscribe-url\x00"


def render_parts(template: str, context: dict, language: str) -> tuple[str, str, str]:
    """``<template>_subject.txt``, ``_body.txt`` and ``_body.html`` in ``language``."""
    with translation.override(language):
        # One line whatever the title holds: no header injection, no BadHeaderError (lib/text.py).
        subject = " ".join(plain_line(render_to_string(f"{TEMPLATES}{template}_subject.txt", context)).split())
        text = render_to_string(f"{TEMPLATES}{template}_body.txt", context)
        html = render_to_string(f"{TEMPLATES}{template}_body.html", context)
    return subject, text, html


def personal_message(parts: tuple[str, str, str], user, unsubscribe: str, headers: dict) -> EmailMultiAlternatives:
    subject, text, html = parts
    name = user.get_short_name()
    text = text.replace(NAME, name).replace(UNSUBSCRIBE, unsubscribe)
    html = html.replace(NAME, escape(name)).replace(UNSUBSCRIBE, escape(unsubscribe))
    message = EmailMultiAlternatives(subject, text, to=[user.email], headers=headers)
    message.attach_alternative(html, "text/html")
    return message


def common_headers(user_id: int, modules: list[str], mid: str) -> tuple[dict, str]:
    unsubscribe = unsubscribe_url(user_id, modules)
    headers = {
        "Message-ID": mid,
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return headers, unsubscribe


def notification_message(delivery, cache: dict | None = None) -> EmailMultiAlternatives:
    """The e-mail of one delivery: the title, a link to the item and to the preferences.
    ``cache`` keeps the rendered templates per broadcast and language for a batch."""
    broadcast, user = delivery.broadcast, delivery.recipient
    language = language_of(user)
    cache = {} if cache is None else cache
    parts = cache.get((broadcast.pk, language))
    if parts is None:
        context = {
            "recipient_name": NAME,
            "title": broadcast.title,
            "urgent": broadcast.urgent,
            "module_label": MODULES[broadcast.module].label,
            "school_name": broadcast.school.name if broadcast.school_id else "",
            "item_url": absolute_url(broadcast.url),
            "preferences_url": absolute_url(reverse("notify:preferences")),
            "unsubscribe_url": UNSUBSCRIBE,
        }
        parts = cache[(broadcast.pk, language)] = render_parts("notification", context, language)
    headers, unsubscribe = common_headers(user.pk, [broadcast.module], message_id("delivery", delivery.pk))
    return personal_message(parts, user, unsubscribe, headers)


def digest_message(user, items: list, first_delivery_id: int) -> EmailMultiAlternatives:
    """One e-mail listing ``items`` (broadcasts, one per key) with their links."""
    modules = sorted({item.module for item in items})
    headers, unsubscribe = common_headers(user.pk, modules, message_id("digest", first_delivery_id))
    context = {
        "items": [
            {"title": b.title, "url": absolute_url(b.url), "module_label": MODULES[b.module].label} for b in items
        ],
        "count": len(items),
        "preferences_url": absolute_url(reverse("notify:preferences")),
        "recipient_name": NAME,
        "unsubscribe_url": UNSUBSCRIBE,
    }
    return personal_message(render_parts("digest", context, language_of(user)), user, unsubscribe, headers)


class EmailChannel(Channel):
    """One SMTP connection per batch; each message is sent on its own so that it can be marked
    sent the moment the server accepted it."""

    name = "email"

    def __init__(self):
        self.connection = None
        self.broken = False
        self.rendered: dict = {}

    def open(self) -> None:
        self.connection = get_connection()
        try:
            self.connection.open()
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryError(f"cannot reach the mail server: {exc}") from exc

    def send(self, delivery) -> None:
        self.send_message(notification_message(delivery, self.rendered))

    def send_message(self, message: EmailMultiAlternatives) -> None:
        if self.broken:  # reconnect after a lost connection; a failure is this message's temporary error
            self.close()
            self.open()
            self.broken = False
        try:
            sent = self.connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise _by_code(min(codes), f"recipient refused: {exc.recipients}") from exc
        except smtplib.SMTPResponseException as exc:  # sender refused, data refused, 421 ...
            if exc.smtp_code == 421:
                self.broken = True
            raise _by_code(exc.smtp_code, f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except (smtplib.SMTPException, OSError) as exc:  # disconnected, timeout, reset
            self.broken = True
            raise TemporaryError(f"connection to the mail server lost: {exc!r}") from exc
        if not sent:
            raise PermanentError("the message has no recipient")

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # closing a broken connection
                pass


def _by_code(code: int, text: str) -> Exception:
    return TemporaryError(text) if 400 <= code < 500 else PermanentError(text)
