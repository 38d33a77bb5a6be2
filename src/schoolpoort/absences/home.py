"""The absences block on the home page (see lib/home.py): for parents their children's current
absences and the report button; for teachers today's count per group; for the administration
today's count per school. At most three queries."""

from django.utils import timezone

from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.home import HomeBlock

from .access import MODULE
from .lists import school_counts, taught_group_counts
from .models import Absence


def home_block(request, overview) -> HomeBlock | None:
    usable = [modules for modules in overview.modules if any(s.info.code == MODULE for s in modules.usable)]
    if not usable:
        return None
    # Kept per user under the reach's versions, today's date (the block is of today) and the
    # absences' version (absences/signals.py).
    return cached_block(request, "absences", lambda: (_block(request, overview, usable), None), topics=("absences",))


def _block(request, overview, usable) -> HomeBlock | None:
    user = request.user
    today = timezone.localdate()
    usable_ids = {modules.school.pk for modules in usable}
    children = [child for child in overview.children if child.school.pk in usable_ids]
    current = []
    if children:
        current = list(
            Absence.objects.visible_to(user)
            .filter(student_id__in=[child.student.pk for child in children])
            .current(today)
            .select_related("student")
            .order_by("starts_on", "pk")
        )
    groups, schools = [], []
    staff = [staff for staff in overview.staff_schools if staff.school.pk in usable_ids]
    if staff:
        if any(entry.groups for entry in staff):
            groups = taught_group_counts(user, today)
        administered = [entry.school.pk for entry in staff if entry.administers]
        if administered:
            schools = school_counts(user, administered, today)
    if not children and not groups and not schools:
        return None
    context = {"guardian": bool(children), "current": current, "groups": groups, "schools": schools}
    return HomeBlock(template="absences/_home_block.html", context=context, order=5, section="today")
