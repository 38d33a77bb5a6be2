"""The next events on the home page: five occurrences in two queries (single events, and the
repeating ones that are still running)."""

import datetime

from django.utils import timezone

from schoolpoort.web.blocks import HomeBlock

from .models import Event
from .recurrence import expand
from .visibility import MODULE

COUNT = 5
HORIZON_DAYS = 120


def home_block(request, overview):
    if not any(state.info.code == MODULE for modules in overview.modules for state in modules.usable):
        return None
    today = timezone.localdate()
    until = today + datetime.timedelta(days=HORIZON_DAYS)
    visible = Event.objects.visible_to(request.user).between(today, until).select_related("school", "board")
    single = visible.filter(rrule="").order_by("starts_on", "start_time", "pk")[:COUNT]
    repeating = visible.exclude(rrule="")
    upcoming = expand([*single, *repeating], today, until)[:COUNT]
    return HomeBlock("calendar/_home_block.html", {"occurrences": upcoming, "today": today}, order=30)
