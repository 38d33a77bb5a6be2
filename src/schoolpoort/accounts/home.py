"""The account pages' links on the home page (see lib/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import Link


def school_links(staff) -> list[Link]:
    links = []
    if staff.administers:
        url = reverse("accounts:guardians", args=[staff.school.pk])
        links.append(Link(_("Guardians and registration"), url, order=10))
    if staff.manages:
        url = reverse("accounts:second_factor_reset", args=[staff.school.pk])
        links.append(Link(_("Reset second factor"), url, order=90))
    return links
