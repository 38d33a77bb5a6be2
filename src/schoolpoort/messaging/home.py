"""The "messages" block on the home page (see lib/home.py): the number of unread conversations."""

from schoolpoort.lib.home import HomeBlock

from .access import MODULE
from .counts import header_counts

HEADER_LINK = "messaging/_header_link.html"  # the inbox, with its unread count


def home_block(request, overview) -> HomeBlock | None:
    usable = any(state.info.code == MODULE for school in overview.modules for state in school.usable)
    if not usable:
        return None
    # The header counts the same (and keeps it on the request): no query of its own.
    return HomeBlock(
        template="messaging/_home_block.html", context={"unread": header_counts(request)["unread"]}, order=20
    )
