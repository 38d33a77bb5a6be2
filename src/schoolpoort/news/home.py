"""The "latest news" block on the home page (see lib/home.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from schoolpoort.core.access import request_reach
from schoolpoort.lib.home import HomeBlock, Link

from .overview import latest_posts
from .scope import scope_of


def home_block(request, overview) -> HomeBlock | None:
    # The overview has read the module states of the user's schools already: no second look.
    posts = latest_posts(request.user, reach=request_reach(request), scope=scope_of(overview.modules))
    if posts is None:
        return None
    return HomeBlock(template="news/_latest.html", context={"posts": posts}, order=10)


def school_links(staff) -> list[Link]:
    if not staff.manages:
        return []
    return [Link(_("News settings"), reverse("news:school_settings", args=[staff.school.pk]), order=82)]
