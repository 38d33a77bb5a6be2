"""The register of personal data on the home page of those who manage a school (lib/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import Link


def school_links(staff) -> list[Link]:
    if not staff.manages:
        return []
    return [Link(_("Privacy and retention"), reverse("privacy:register", args=[staff.school.pk]), order=85)]
