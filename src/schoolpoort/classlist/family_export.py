"""The family export (``lib.family_export``): what the user chose to share on each class list, and
the contact details they typed in for it."""

from __future__ import annotations

from schoolpoort.lib.family_export import Section, row

from .models import GuardianContact, SharingChoice


def export_for(user) -> Section | None:
    choices = [
        {"group": choice.group.name, "school": choice.group.school.name,
         **row(choice, ["share_name", "share_phone", "share_email", "share_address", "updated_at"])}
        for choice in SharingChoice.objects.filter(user=user).select_related("group__school")
    ]
    contact = GuardianContact.objects.filter(user=user).first()
    if not choices and contact is None:
        return None
    return Section("classlist", {
        "sharing_choices": choices,
        "contact_details": {"address": contact.address} if contact else None,
    })
