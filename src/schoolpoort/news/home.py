"""The "latest news" block on the home page (see lib/home.py)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.access import request_reach
from schoolpoort.core.blocks import cached_block
from schoolpoort.lib.home import HomeBlock, Link, TabCount

from .access import MODULE
from .actions import notify_api
from .listing import next_publish_moment
from .overview import latest_posts
from .scope import scope_of

HOME_POSTS = 1  # the newest post, with its photo: the home timeline keeps to three screens of a phone


def home_block(request, overview) -> HomeBlock | None:
    user = request.user

    def read():
        # The overview has read the module states of the user's schools already: no second look.
        posts = latest_posts(user, HOME_POSTS, reach=request_reach(request), scope=scope_of(overview.modules))
        for post in posts or ():  # the first photo the user may see (prefetched with the image consent rule)
            post.home_photo = next((attachment for attachment in post.attachments.all() if attachment.is_image), None)
        block = None if posts is None else HomeBlock("news/_latest.html", {"posts": posts}, order=10, section="news")
        return block, next_publish_moment(timezone.now())

    # Kept like the feed's cards (news/views.py): under the reach's, the news' and image consent's versions.
    return cached_block(request, "news", read, topics=("news", "images"), own=("news",))


def tab_count(request, modules) -> TabCount | None:
    """The News tab counts the posts the user was told about and has not opened (opening a post
    reads its notification): notify counts per module once per request for the bell, no query
    of its own."""
    unread_by_module = notify_api("unread_by_module")
    if unread_by_module is None or not scope_of(modules):
        return None
    return TabCount("news", unread_by_module(request).get(MODULE, 0))


def school_links(staff) -> list[Link]:
    if not staff.manages:
        return []
    return [Link(_("News settings"), reverse("news:school_settings", args=[staff.school.pk]), order=82)]
