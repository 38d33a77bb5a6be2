"""Timetable on the home page (see lib/home.py): "Tomorrow gym for Noor: gym clothes" when
something is coming up, otherwise only the way to the weekly schedule. Two queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.core.access import request_reach, roles_of
from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.home import HomeBlock, Link

from .reminders import reminders_for


def home_block(request, overview) -> HomeBlock | None:
    if not overview.children and not any(staff.groups for staff in overview.staff_schools):
        return None
    # Kept per user under the reach's versions, today's date (the reminders are of today and the
    # next school day) and the versions of the entries and of the events (days off skip them).
    return cached_block(request, "timetable", lambda: (_block(request, overview), None),
                        topics=("timetable", "calendar"))


def _block(request, overview) -> HomeBlock:
    # The groups the user teaches are in the request's reach already (read by the other blocks).
    # So are the children's current groups (the overview's, where the user sees class pages).
    child_groups = [(group.pk, card.student.first_name) for card in overview.children for group in card.groups]
    reminders = reminders_for(
        request.user, taught_ids=request_reach(request).taught_group_ids, child_groups=child_groups
    )
    return HomeBlock(
        template="timetable/_home_block.html", context={"reminders": reminders}, order=3 if reminders else 80,
        section="today" if reminders else "more",
    )


def more_links(request, modules) -> list[Link]:
    """The weekly timetable on the "More" page of guardians and teachers (roles are cached: no query)."""
    roles = roles_of(request.user)
    if not (roles.is_guardian or roles.is_staff):
        return []
    return [Link(_("Timetable"), reverse("timetable:index"), order=40)]
