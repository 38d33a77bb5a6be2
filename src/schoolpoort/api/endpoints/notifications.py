"""Notifications for parents' apps: the caller's own list (newest first, cursor pagination), marking
one or all read, and the preferences per module (e-mail at once, daily, weekly or off; push on or
off) through the same form and saving as the preferences page (notify.forms, notify.preferences).
Notifications are a person's own: no token scope covers them."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import ValidationError

from schoolpoort.core.modules import MODULES
from schoolpoort.notify.api import mark_all_read, mark_read, unread_count
from schoolpoort.notify.forms import PreferencesForm
from schoolpoort.notify.models import Notification, Preference
from schoolpoort.notify.preferences import preferences_of, save_preferences
from schoolpoort.notify.views import own_notification_or_404

from .. import cursors
from ..errors import ERRORS, FormInvalid

router = Router(tags=["notifications"])
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


class NotificationOut(Schema):
    id: int
    module: str
    module_label: str
    title: str
    urgent: bool
    created_at: datetime.datetime
    read_at: datetime.datetime | None
    url: str


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


def _out(notification: Notification) -> dict:
    info = MODULES.get(notification.module)
    url = notification.url
    return {
        "id": notification.pk, "module": notification.module, "module_label": str(info.label) if info else "",
        "title": notification.title, "urgent": notification.urgent, "created_at": notification.created_at,
        "read_at": notification.read_at, "url": settings.SITE_URL + url if url.startswith("/") else url,
    }


def _after(values) -> Q:
    created, pk = values
    try:
        created = parse_datetime(created) if isinstance(created, str) else None
    except ValueError:
        raise cursors.invalid() from None
    if created is None or not isinstance(pk, int):
        raise cursors.invalid()
    return Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk)


@router.get("/notifications", response={200: NotificationPage, **ERRORS}, url_name="notifications",
            summary="My notifications")
def notifications(request, cursor: str | None = None, limit: int = PAGE_SIZE, unread_only: bool = False):
    caller = request.auth
    caller.require_session()
    found = Notification.objects.filter(recipient=caller.user).only(
        "pk", "module", "title", "url", "urgent", "created_at", "read_at")
    if unread_only:
        found = found.filter(read_at__isnull=True)
    if (after := cursors.decode(cursor, 2)) is not None:
        found = found.filter(_after(after))
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    rows = list(found.order_by("-created_at", "-pk")[: limit + 1])
    page, more = rows[:limit], len(rows) > limit
    return {
        "items": [_out(n) for n in page],
        "next_cursor": cursors.encode([page[-1].created_at.isoformat(), page[-1].pk]) if more else None,
        "unread": unread_count(caller.user),
    }


class Unread(Schema):
    unread: int


@router.post("/notifications/read", response={200: Unread, **ERRORS}, url_name="notifications_read_all",
             summary="Mark all my notifications read")
def notifications_read_all(request):
    caller = request.auth
    caller.require_session()
    mark_all_read(caller.user)
    return {"unread": unread_count(caller.user)}


@router.post("/notifications/{notification_id}/read", response={200: Unread, **ERRORS},
             url_name="notification_read", summary="Mark a notification read")
def notification_read(request, notification_id: int):
    """As opening it in the list: it and every other notification about the same item are read."""
    caller = request.auth
    caller.require_session()
    notification = own_notification_or_404(caller.user, notification_id)
    mark_read(caller.user, notification.key)
    return {"unread": unread_count(caller.user)}


class ModulePreference(Schema):
    module: str
    label: str
    email: str
    push: bool


class Preferences(Schema):
    items: list[ModulePreference]
    email_choices: list[str]


class PreferenceIn(Schema):
    module: str
    email: str
    push: bool


class PreferencesIn(Schema):
    items: list[PreferenceIn]


def _preferences(user) -> dict:
    form = PreferencesForm(current=preferences_of(user))
    return {
        "items": [{"module": code, "label": str(info.label), "email": form.fields[f"email_{code}"].initial,
                   "push": form.fields[f"push_{code}"].initial} for code, info in MODULES.items()],
        "email_choices": list(Preference.Email.values),
    }


@router.get("/notifications/preferences", response={200: Preferences, **ERRORS},
            url_name="notification_preferences", summary="How I hear about each module")
def notification_preferences(request):
    caller = request.auth
    caller.require_session()
    return _preferences(caller.user)


@router.put("/notifications/preferences", response={200: Preferences, **ERRORS},
            url_name="save_notification_preferences", summary="Change how I hear about modules")
def save_notification_preferences(request, payload: PreferencesIn):
    """The modules given change; the others keep what they had. Checked by the preferences page's
    form: an unknown e-mail choice answers 422 at ``email_<module>``, an unknown module at ``items``."""
    caller = request.auth
    caller.require_session()
    current = preferences_of(caller.user)
    data = QueryDict(mutable=True)
    for code in MODULES:
        email, push = current.get(code, (Preference.Email.IMMEDIATE, True))
        data[f"email_{code}"] = email
        if push:
            data[f"push_{code}"] = "on"
    unknown = [n for n, item in enumerate(payload.items) if item.module not in MODULES]
    if unknown:
        raise ValidationError([{"loc": ["body", "items", n, "module"], "msg": _("There is no such module."),
                                "type": "invalid"} for n in unknown])
    for item in payload.items:
        data[f"email_{item.module}"] = item.email
        if item.push:
            data[f"push_{item.module}"] = "on"
        else:
            data.pop(f"push_{item.module}", None)
    form = PreferencesForm(data, current=current)
    if not form.is_valid():
        raise FormInvalid(form)
    save_preferences(caller.user, form.choices())
    return _preferences(caller.user)

