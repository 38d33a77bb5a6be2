"""The account pages' links on the home page (see lib/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import Link


def school_links(staff) -> list[Link]:
    if not staff.administers:
        return []
    return [Link(_("Guardians and registration"), reverse("accounts:guardians", args=[staff.school.pk]), order=10)]
