"""The "messages" block on the home page (see lib/home.py): the number of unread conversations."""

from schoolpoort.lib.home import HomeBlock, TabCount

from .access import MODULE
from .counts import header_counts

HEADER_LINK = "messaging/_header_link.html"  # the inbox, with its unread count


def home_block(request, overview) -> HomeBlock | None:
    usable = any(state.info.code == MODULE for school in overview.modules for state in school.usable)
    if not usable:
        return None
    # The header counts the same (and keeps it on the request): no query of its own.
    unread = header_counts(request)["unread"]
    return HomeBlock(
        template="messaging/_home_block.html",
        context={"unread": unread},
        order=20,
        section="action" if unread else "more",  # unread messages need the parent
    )


def tab_count(request, modules) -> TabCount | None:
    """The unread conversations on the Messages tab: the header's count, kept on the request."""
    counts = header_counts(request)
    return TabCount("messages", counts["unread"]) if counts["usable"] else None
