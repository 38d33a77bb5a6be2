"""Markdown in, safe HTML out: what a post's body may contain."""

import html as html_lib

import markdown
import nh3
from django.utils.html import strip_tags
from django.utils.text import Truncator

EXCERPT_WORDS = 30

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "blockquote", "hr", "code", "pre",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(source: str) -> str:
    """The body as HTML: Markdown (a line break is a line break; headings start at h2, below the
    page's title), then sanitised with nh3 to a small set of tags. Raw HTML, scripts, event
    handlers, styles and images from elsewhere do not survive; links get rel="noopener noreferrer"."""
    html = markdown.markdown(
        source or "",
        extensions=["sane_lists", "nl2br", "toc"],
        extension_configs={"toc": {"baselevel": 2}},
        output_format="html",
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def plain_excerpt(body_html: str) -> str:
    """The first words of a rendered body as plain text, for the feed (stored on save)."""
    text = html_lib.unescape(strip_tags(body_html or ""))
    return Truncator(" ".join(text.split())).words(EXCERPT_WORDS)
