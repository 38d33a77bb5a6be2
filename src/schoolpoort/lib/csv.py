"""Reading the CSV files that school administrations hand us, the way a person exported them.

``read_csv(data, required, optional)`` accepts what Excel and the administration systems write:
UTF-8 with or without a byte order mark, or Windows-1252 (Excel on Dutch Windows); ``;``, ``,`` or
tab as the delimiter; headers in any case, with spaces, underscores or hyphens ("Leerling nummer",
"leerling_nummer" and "LEERLINGNUMMER" are the same column). It returns a ``CsvTable`` of
``(line, row)`` pairs, where ``line`` is the line number a user sees in a spreadsheet or editor
(the header is line 1), and a list of ``RowError``.

The pattern for an import built on it (the administration import, records and results; the file
is parked between the steps by ``core.staging``):

1. **Dry run** — ``plan = make_plan(school, table)``: read every row, validate it, look the existing
   rows up in a constant number of queries (dictionaries keyed on the external id), and return a
   plan object: lists of what will be added / changed (old → new) / removed, plus ``errors`` (a list
   of ``RowError``). Nothing is written. Show the plan to the user.
2. **Apply** — on confirmation, re-read the same file and re-compute the plan *inside*
   ``transaction.atomic()`` (so it is computed against the data as it is now, not as it was when
   the preview was shown), and write it with ``bulk_create``/``bulk_update`` only if
   ``plan.errors`` is empty. Any error means nothing is written: all or nothing. Applying the same
   file twice then finds nothing to change (idempotent).

    @dataclass
    class Plan:
        added: list = field(default_factory=list)
        changed: list = field(default_factory=list)
        errors: list[RowError] = field(default_factory=list)

        @property
        def is_empty(self): return not (self.added or self.changed)

    def apply(school, data):
        with transaction.atomic():
            plan = make_plan(school, read_csv(data, REQUIRED, OPTIONAL))
            if plan.errors:
                return plan            # nothing written
            Model.objects.bulk_create(plan.added)
            Model.objects.bulk_update(plan.changed, FIELDS)
            return plan
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .text import plain_text

__all__ = ["CsvTable", "RowError", "normalise_header", "read_csv", "decode", "spreadsheet_cell", "spreadsheet_writer"]

# --- Writing: every CSV the server hands out (exports) goes through spreadsheet_writer -----------

# What a spreadsheet program takes as the start of a formula (also the full-width forms, which
# some programs fold to ASCII), and tab / line breaks, which they skip before looking.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_cell(value) -> str:
    """``value`` as a cell that a spreadsheet shows as the text it is: no control characters (line
    breaks become ``\n``, which the writer quotes, so a row stays one row), and a leading ``'``
    before text a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``@SUM(…)``, ``-2+3``).
    Numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = plain_text(str(value))
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


class spreadsheet_writer:  # noqa: N801 - used like csv.writer
    """``csv.writer`` for exports: CRLF rows, and every cell through ``spreadsheet_cell``."""

    def __init__(self, out, *, delimiter: str = ","):
        self._writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)



@dataclass(order=True)
class RowError:
    line: int  # the line number in the file as a user sees it (the header is line 1)
    message: str
    source: str = ""  # the file, where an import reads several (OneRoster's users.csv, ...)

    def __str__(self) -> str:
        if self.source:
            return _("%(file)s line %(line)s: %(message)s") % {
                "file": self.source,
                "line": self.line,
                "message": self.message,
            }
        return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class CsvTable:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # the normalised headers as found in the file


_HEADER_NOISE = re.compile(r"[\s_\-.]+")


def normalise_header(name: str) -> str:
    """ "Leerling nummer", "leerling_nummer", "Leerling-Nummer" → "leerlingnummer"."""
    return _HEADER_NOISE.sub("", name.strip().strip('"').lower())


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which is what Excel writes on Dutch Windows.
    cp1252 leaves five bytes undefined; latin-1 takes those so a file never fails to decode."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _sniff_delimiter(header_line: str) -> str:
    # The header decides: the delimiter that splits it into the most columns. Sniffing the data
    # rows as well misleads on addresses with commas ("Dorpsstraat 1, Utrecht").
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def read_csv(data: bytes, required: Iterable[str], optional: Iterable[str] = ()) -> CsvTable:
    """Read ``data`` into rows keyed on the normalised names in ``required`` and ``optional``.

    Columns not asked for are ignored. A missing required column is one error on line 1 (and then
    no rows are returned). Values are stripped; a missing trailing cell reads as "". Rows that are
    entirely empty are skipped. Row numbers count physical lines, so a quoted value spanning two
    lines keeps the numbers right for the rows after it."""
    required = [normalise_header(c) for c in required]
    optional = [normalise_header(c) for c in optional]
    wanted = set(required) | set(optional)
    table = CsvTable()

    text = decode(data)
    if not text.strip():
        table.errors.append(RowError(1, _("The file is empty.")))
        return table
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))

    header: list[str] | None = None
    try:
        for fields in reader:
            line = reader.line_num  # the physical line where this record ended
            if header is None:
                if not any(f.strip() for f in fields):
                    continue  # blank lines before the header
                header = [normalise_header(f) for f in fields]
                table.columns = header
                missing = [c for c in required if c not in header]
                if missing:
                    table.errors.append(
                        RowError(
                            line,
                            _("Missing column(s): %(columns)s. Found: %(found)s.")
                            % {"columns": ", ".join(missing), "found": ", ".join(h for h in header if h) or "-"},
                        )
                    )
                    return table
                continue
            if not any(f.strip() for f in fields):
                continue
            row = {name: "" for name in wanted}
            for name, value in zip(header, fields, strict=False):  # short rows: the rest reads as ""
                if name in wanted:
                    row[name] = value.strip()
            if len(fields) > len(header) and any(f.strip() for f in fields[len(header) :]):
                table.errors.append(
                    RowError(
                        line,
                        _("This row has %(found)s values but the header has %(expected)s columns.")
                        % {"found": len(fields), "expected": len(header)},
                    )
                )
                continue
            table.rows.append((line, row))
    except csv.Error as exc:
        table.errors.append(
            RowError(reader.line_num or 1, _("The file cannot be read as CSV: %(reason)s") % {"reason": exc})
        )
    if header is None:
        table.errors.append(RowError(1, _("The file is empty.")))
    return table
