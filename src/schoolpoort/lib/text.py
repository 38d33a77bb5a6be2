"""Free text on its way out: what a person typed, made safe for outputs with their own idea of a
line (iCalendar, e-mail headers, CSV cells, PDF paragraphs).

- ``plain_line(text)``: one line. Every kind of line break (CR, LF, CRLF, VT, FF, NEL, the Unicode
  line and paragraph separators) and tab becomes a space, other control characters go, and the
  ends are trimmed — for titles, subjects, names and file names in headers.
- ``plain_text(text)``: several lines. Every kind of line break becomes ``\\n``; other control
  characters (NUL, ESC, …) go; tabs stay — for bodies and descriptions."""

from __future__ import annotations

import re

# Line breaks as Python's str.splitlines() knows them, CRLF first so that it counts as one.
_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# C0 and C1 controls and DEL, apart from tab and the breaks above (which are handled first).
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def plain_text(text: str) -> str:
    return _CONTROLS.sub("", _BREAKS.sub("\n", str(text)))


def plain_line(text: str) -> str:
    # The unit separator is whitespace to str.split() (as templates' word filters use it): a space.
    return plain_text(str(text).replace("\x1f", " ")).replace("\n", " ").replace("\t", " ").strip()
