"""Every free-text field survives the CSV exports: read back with the csv module, every row is
one row, every cell the text that went in (without control characters), never a formula."""

import csv
import io

from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from schoolpoort.lib.csv import FORMULA_START, spreadsheet_cell, spreadsheet_writer
from schoolpoort.lib.text import plain_text
from schoolpoort.messaging.models import Conversation, Message
from tests.free_text.strategies import bounded, free_text, stored_text
from tests.messaging.helpers import english, start_one


def read_back(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def harmless(cell: str) -> bool:
    return not cell.lstrip(" ").startswith(FORMULA_START)


@bounded
@given(rows=st.lists(st.lists(free_text, min_size=1, max_size=4), min_size=1, max_size=4),
       delimiter=st.sampled_from([",", ";"]))
def test_the_csv_writer_keeps_rows_and_cells_and_runs_no_formula(rows, delimiter):
    out = io.StringIO()
    spreadsheet_writer(out, delimiter=delimiter).writerows(rows)

    back = read_back(out.getvalue(), delimiter)

    assert back == [[spreadsheet_cell(value) for value in row] for row in rows]
    for row, original in zip(back, rows, strict=True):
        for cell, value in zip(row, original, strict=True):
            assert harmless(cell)
            assert cell in (plain_text(value), "'" + plain_text(value))


def test_numbers_stay_numbers_and_text_that_looks_like_a_formula_does_not():
    assert [spreadsheet_cell(v) for v in (-2, 3.5, None, "-2", "=1+1", " @SUM(A1)", "\uff1d1")] == [
        "-2", "3.5", "", "'-2", "'=1+1", "' @SUM(A1)", "'\uff1d1",
    ]


@bounded
@given(subject=stored_text, body=stored_text)
def test_the_school_export_of_messages_with_any_text(client, world, subject, body):
    Conversation.objects.all().delete()
    start_one(world.users["guardian"], f"office:{world.school.pk}", subject=subject[:150], body=body)
    stored = Message.objects.select_related("conversation").get()
    english(world.users["administration"])
    client.force_login(world.users["administration"])
    today = timezone.localdate().isoformat()

    response = client.get(reverse("messaging:export_school", args=[world.school.pk]), {"start": today, "end": today})

    assert response.status_code == 200
    header, *rows = read_back(response.content.decode())
    assert len(rows) == 1 and len(rows[0]) == len(header)
    row = dict(zip(header, rows[0], strict=True))
    assert row["subject"] == spreadsheet_cell(stored.conversation.subject)
    assert row["message"] == spreadsheet_cell(stored.body)
    assert all(harmless(cell) for cell in rows[0])
