"""Timetable on the home page (see lib/home.py): "Tomorrow gym for Noor: gym clothes" when
something is coming up, otherwise only the way to the weekly schedule. Three queries."""

from schoolpoort.lib.home import HomeBlock

from .reminders import reminders_for


def home_block(request, overview) -> HomeBlock | None:
    if not overview.children and not any(staff.groups for staff in overview.staff_schools):
        return None
    reminders = reminders_for(request.user)
    return HomeBlock(
        template="timetable/_home_block.html", context={"reminders": reminders}, order=3 if reminders else 80
    )
