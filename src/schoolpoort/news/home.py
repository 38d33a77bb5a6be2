"""The "latest news" block on the home page (see lib/home.py)."""

from schoolpoort.core.access import request_reach
from schoolpoort.lib.home import HomeBlock

from .overview import latest_posts
from .scope import scope_of


def home_block(request, overview) -> HomeBlock | None:
    # The overview has read the module states of the user's schools already: no second look.
    posts = latest_posts(request.user, reach=request_reach(request), scope=scope_of(overview.modules))
    if posts is None:
        return None
    return HomeBlock(template="news/_latest.html", context={"posts": posts}, order=10)
