"""Free text on its way out: what a person typed, made safe for outputs with their own idea of a
line (iCalendar, e-mail headers, CSV cells, PDF paragraphs).

- ``plain_line(text)``: one line. Every kind of line break (CR, LF, CRLF, VT, FF, NEL, the Unicode
  line and paragraph separators) and tab becomes a space, other control characters go, and the
  ends are trimmed — for titles, subjects, names and file names in headers.
- ``plain_text(text)``: several lines. Every kind of line break becomes ``\\n``; other control
  characters (NUL, ESC, …) go; tabs stay — for bodies and descriptions."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import markdown
import nh3

# Line breaks as Python's str.splitlines() knows them, CRLF first so that it counts as one.
_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 and C1 controls and DEL, apart from tab and the breaks above (which are handled first).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def plain_text(text: str) -> str:
    return _CONTROLS.sub("", _BREAKS.sub("\n", str(text)))


def plain_line(text: str) -> str:
    # The unit separator is whitespace to str.split() (as templates' word filters use it): a space.
    return plain_text(str(text).replace("\x1f", " ")).replace("\n", " ").replace("\t", " ").strip()


# --- Rich text: what a person wrote in the editor (or in Markdown), as safe HTML and as plain text ---
#
# ``safe_html(html, image_src=...)`` is the one home of "rich text in -> safe HTML out": a small
# allowlist of tags and attributes (nh3), scripts and styles removed with their content, every
# other attribute (on*, style, class, id) dropped, links only to http(s)/mailto/tel and opened with
# rel="noopener noreferrer nofollow", images only when their src is one of our own access-checked
# URLs (the caller's ``image_src`` pattern). ``markdown_html`` is the older Markdown posts' way in;
# ``html_text`` is the plain-text reading of the result (lists as "- ", links as "text (url)").

RICH_TAGS = frozenset({
    "p", "br", "strong", "em", "b", "i", "u", "s", "ul", "ol", "li", "a",
    "h2", "h3", "h4", "blockquote", "hr", "code", "pre", "img",
})
RICH_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "width", "height"}}
RICH_URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
LINK_REL = "noopener noreferrer nofollow"
_EMPTY_IMG = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_DIGITS = re.compile(r"\d{1,5}")


def safe_html(html: str, *, image_src: re.Pattern | None = None) -> str:
    """``html`` reduced to the rich-text allowlist. An image stays only when ``image_src`` matches
    its whole src (a path of ours that checks who may see it); other images go."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img":
            if attribute == "src":
                return value if image_src is not None and image_src.fullmatch(value) else None
            if attribute in ("width", "height"):
                return value if _DIGITS.fullmatch(value) else None
        return value

    cleaned = nh3.clean(
        html or "",
        tags=set(RICH_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template", "svg", "math"},
        attributes={tag: set(names) for tag, names in RICH_ATTRIBUTES.items()},
        attribute_filter=keep,
        url_schemes=set(RICH_URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    )
    cleaned = _EMPTY_IMG.sub("", cleaned)
    # What an empty editor sends: one empty paragraph.
    return "" if re.fullmatch(r"(\s|<p>\s*(<br>)?\s*</p>)*", cleaned) else cleaned


def markdown_html(source: str, *, image_src: re.Pattern | None = None) -> str:
    """Markdown as written before the editor (a line break is a line break; headings start at h2,
    below the page's title), made safe by ``safe_html``."""
    html = markdown.markdown(
        source or "",
        extensions=["sane_lists", "nl2br", "toc"],
        extension_configs={"toc": {"baselevel": 2}},
        output_format="html",
    )
    return safe_html(html, image_src=image_src)


class _TextReader(HTMLParser):
    BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "hr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []  # per open list: [kind, number]
        self.links: list[str | None] = []
        self.link_text: list[int] = []

    def _break(self, count: int = 2) -> None:
        text = "".join(self.parts)
        have = len(text) - len(text.rstrip("\n"))
        if text.strip() and have < count:
            self.parts.append("\n" * (count - have))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ul", "ol"):
            self._break(1 if self.lists else 2)
            self.lists.append([tag, 0])
        elif tag == "li":
            self._break(1)
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.parts.append("   " * depth + f"{self.lists[-1][1]}. ")
            else:
                self.parts.append("   " * depth + "- ")
        elif tag in self.BLOCKS:
            self._break(1 if self.lists else 2)
            if tag == "hr":
                self.parts.append("---")
                self._break()
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.links.append(attrs.get("href"))
            self.link_text.append(len(self.parts))
        elif tag == "img" and attrs.get("alt"):
            self.parts.append(f"[{attrs['alt']}]")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._break(1 if self.lists else 2)
        elif tag in self.BLOCKS:
            self._break(1 if self.lists else 2)
        elif tag == "a" and self.links:
            href, start = self.links.pop(), self.link_text.pop()
            text = "".join(self.parts[start:]).strip()
            if href and href != text and not href.startswith("mailto:" + text):
                self.parts.append(f" ({href})")

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data)
        if not self.parts or self.parts[-1].endswith(("\n", "- ", ". ")):
            text = text.lstrip()
        if text:
            self.parts.append(text)


def html_text(html: str) -> str:
    """Safe HTML read as plain text for e-mail, push and exports: paragraphs apart, list items as
    "- " (numbered lists "1. "), links as "text (url)", images by their description."""
    reader = _TextReader()
    reader.feed(html or "")
    reader.close()
    lines = [line.rstrip() for line in "".join(reader.parts).split("\n")]
    return plain_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip())


# A text field that takes either plain text (as typed before the editor, or without JavaScript) or
# the editor's HTML tells them apart by how it starts: the editor always writes a block element.
_EDITOR_HTML = re.compile(r"\s*<(p|ul|ol|h[1-6]|blockquote|pre|hr|img)[\s>/]")


def is_editor_html(value: str) -> bool:
    return bool(_EDITOR_HTML.match(value or ""))


def rich_or_plain_html(value: str, *, image_src: re.Pattern | None = None) -> str:
    """Safe HTML of a field that holds the editor's HTML or plain text: HTML is sanitised (again, at
    output: cheap, and safe whatever was stored), plain text escaped with its paragraphs and breaks."""
    from django.utils.html import linebreaks

    if is_editor_html(value):
        return safe_html(value, image_src=image_src)
    return linebreaks(value or "", autoescape=True)


def rich_or_plain_text(value: str) -> str:
    """The plain-text reading of such a field, for e-mail, push and exports."""
    return html_text(value) if is_editor_html(value) else plain_text(value or "")
