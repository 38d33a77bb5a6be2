"""The import's link on the home page (see lib/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import Link


def school_links(staff) -> list[Link]:
    if not staff.administers:
        return []
    return [Link(_("Import from the administration"), reverse("imports:index", args=[staff.school.pk]), order=20)]
