"""E-mail as template triplets, rendered in the recipient's language.

A message ``accounts/email/<name>`` is three templates: ``<name>_subject.txt``, ``<name>_body.txt``
and ``<name>_body.html``. Links in them are absolute, built on ``settings.SITE_URL``.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from schoolpoort.lib.text import plain_line


def absolute_url(path: str) -> str:
    """``path`` (from ``reverse``) as a link that works outside the site, e.g. in an e-mail."""
    return settings.SITE_URL + path


def send_templated_email(
    template_prefix: str, to_user_or_address, context: dict, language: str | None = None, connection=None
):
    """Render ``<template_prefix>_subject.txt``, ``_body.txt`` and ``_body.html`` in ``language``
    (the user's own language when not given) and send them to one recipient, over ``connection``
    when given (the mails of a batch share one SMTP connection)."""
    if isinstance(to_user_or_address, str):
        address, user = to_user_or_address, None
    else:
        user = to_user_or_address
        address = user.email
    language = language or getattr(user, "language", None) or settings.LANGUAGE_CODE
    context = {"site_url": settings.SITE_URL, "recipient": user, **context}
    with translation.override(language):
        # One line whatever a name in it holds: no header injection (lib/text.py).
        subject = plain_line("".join(render_to_string(f"{template_prefix}_subject.txt", context).splitlines()))
        text = render_to_string(f"{template_prefix}_body.txt", context)
        html = render_to_string(f"{template_prefix}_body.html", context)
    message = EmailMultiAlternatives(
        subject, text, to=[address], headers={"Auto-Submitted": "auto-generated"}, connection=connection
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return message
