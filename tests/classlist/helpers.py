"""Helpers of the class list tests."""

from __future__ import annotations

import re
from html import unescape

from django.urls import reverse

from schoolpoort.classlist.models import GuardianContact, SharingChoice

CONTACT_FIELDS = ("name", "phone", "email", "address")


def english(*users):
    """Pages in English: the assertions read the English strings (the Dutch catalogue comes later)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def share(user, group, *fields, address=None) -> SharingChoice:
    choice, _created = SharingChoice.objects.update_or_create(
        user=user, group=group, defaults={f"share_{name}": name in fields for name in CONTACT_FIELDS}
    )
    if address is not None:
        GuardianContact.objects.update_or_create(user=user, defaults={"address": address})
    return choice


def class_page(client, user, group) -> str:
    client.force_login(user)
    response = client.get(reverse("classlist:group", args=[group.pk]))
    assert response.status_code == 200
    return response.content.decode()


def shown_contacts(html: str) -> dict[str, list[str]]:
    """What a guardian's class list shows, per kind of detail (the cards' <dd class="contact-…">)."""
    found: dict[str, list[str]] = {name: [] for name in CONTACT_FIELDS}
    for kind, inner in re.findall(r'<dd class="contact-(\w+)">(.*?)</dd>', html, re.S):
        if 'class="muted"' in inner and kind == "name":
            continue  # "name not shared"
        text = re.sub(r"<[^>]+>", " ", inner)
        text = re.sub(r"\s+", " ", unescape(text)).replace(" you", "").strip()
        found[kind].append(text)
    return found
