"""The "latest news" block on the home page (see web/blocks.py)."""

from schoolpoort.web.blocks import HomeBlock

from .overview import latest_posts


def home_block(request, overview) -> HomeBlock | None:
    posts = latest_posts(request.user)
    if posts is None:
        return None
    return HomeBlock(template="news/_latest.html", context={"posts": posts}, order=10)
