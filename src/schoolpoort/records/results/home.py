"""Results on the home page of staff (see lib/home.py): report periods and the import for the
office, each group's overview for its teacher."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.lib.home import Link, LinkRow


def school_links(staff) -> list[Link]:
    if not staff.administers:
        return []
    school_id = staff.school.pk
    return [
        Link(_("Report periods"), reverse("results:periods", args=[school_id]), order=50),
        Link(_("Import test results"), reverse("results:import", args=[school_id]), order=60),
    ]


def group_links(staff) -> LinkRow | None:
    if not staff.groups:
        return None
    links = tuple(Link(group.name, reverse("results:group_overview", args=[group.pk])) for group in staff.groups)
    return LinkRow(_("Results:"), links)
