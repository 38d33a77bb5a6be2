"""Notifications in the top bar, and quiet hours on the home page of those who manage a school
(see lib/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import Link

HEADER_LINK = "notify/_header_link.html"  # the notifications, with their unread count


def school_links(staff) -> list[Link]:
    if not (staff.administers and staff.manages):
        return []
    return [Link(_("Quiet hours"), reverse("notify:quiet_hours", args=[staff.school.pk]), order=90)]
