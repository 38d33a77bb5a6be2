"""The home page block: how many documents were added lately, with a link to them (see
lib/home.py), in the staff's "more" part of the timeline. One query; nothing for a parent, where
documents is not usable for the user, or when nothing is new."""

from __future__ import annotations

from schoolpoort.lib.home import HomeBlock

from .access import MODULE
from .views import RECENT_DAYS, recent_documents


def home_block(request, overview) -> HomeBlock | None:
    if not overview.shows_more:
        return None
    school_ids = [
        modules.school.pk
        for modules in overview.modules
        if any(state.info.code == MODULE for state in modules.usable)
    ]
    if not school_ids:
        return None
    count = recent_documents(request.user, school_ids).count()
    if not count:
        return None
    return HomeBlock("documents/_home_block.html", {"count": count, "days": RECENT_DAYS}, order=40, section="more")
