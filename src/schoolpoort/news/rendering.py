"""A post's body as safe HTML and as plain text. New posts are written in the editor (HTML);
older ones in Markdown, kept as typed and rendered by their stored format. Both go through the
kernel's one sanitiser (``lib.text.safe_html``): images only from a post's own attachment URL
(access-checked) or, in a draft, from the author's own parked image."""

import html as html_lib
import re

from django.utils.html import strip_tags
from django.utils.text import Truncator

from schoolpoort.lib.text import html_text, markdown_html, safe_html

EXCERPT_WORDS = 30

# news:attachment and news:draft_image (urls.py): the only image sources a body may use.
IMAGE_SRC = re.compile(r"/nieuws/(\d+/bijlagen/\d+|afbeeldingen/concept/\d+)/")
DRAFT_IMAGE = re.compile(r"/nieuws/afbeeldingen/concept/(\d+)/")

HTML, MARKDOWN = "html", "markdown"


def render_body(source: str, body_format: str = HTML) -> str:
    """The body as safe HTML, by the format it was written in."""
    if body_format == MARKDOWN:
        return markdown_html(source, image_src=IMAGE_SRC)
    return safe_html(source, image_src=IMAGE_SRC)


def render_markdown(source: str) -> str:
    return render_body(source, MARKDOWN)


def searchable_text(body_html: str) -> str:
    """What a reader sees of a rendered body, as one line of plain text: what the search matches
    (never the markup or the addresses of links and images)."""
    return " ".join(html_lib.unescape(strip_tags(body_html or "")).split())


def plain_excerpt(body_html: str) -> str:
    """The first words of a rendered body as plain text, for the feed (stored on save)."""
    return Truncator(" ".join(html_text(body_html).split())).words(EXCERPT_WORDS)


_BODY_IMAGE = re.compile(r'<img[^>]*\ssrc="([^"]*)"[^>]*>')


def body_for(post, shown_ids: set[int]) -> str:
    """The post's safe HTML for one reader: only photos of this post that the reader may see (image
    consent, ``images.shown_attachments``) stay; any other image is left out rather than shown broken."""
    own = re.compile(rf"/nieuws/{post.pk}/bijlagen/(\d+)/")

    def keep(match):
        found = own.fullmatch(match.group(1))
        return match.group(0) if found and int(found.group(1)) in shown_ids else ""

    return _BODY_IMAGE.sub(keep, post.body_html)
