"""The family export (``lib.family_export``): how the user wants to hear from the school (per module),
the devices that receive push messages, and the notifications they were sent."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section, row

from .models import Notification, Preference, PushSubscription

RECENT = 1000  # the newest notifications; older ones are in the school's retention only


def export_for(user) -> Section:
    return Section("notifications", {
        "preferences": [
            row(preference, ["module", "email", "push"]) for preference in Preference.objects.filter(user=user)
        ],
        "push_devices": [
            row(device, ["label", "enabled", "created_at", "last_success_at"])
            for device in PushSubscription.objects.filter(user=user)
        ],
        "notifications": [
            row(notification, ["module", "title", "urgent", "created_at", "read_at"])
            for notification in Notification.objects.filter(recipient=user).order_by("-created_at")[:RECENT]
        ],
    })
