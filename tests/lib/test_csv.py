"""The CSV reader shared by every import: encodings, delimiters, headers and line numbers."""

import pytest
from django.utils import translation

from schoolpoort.lib.csv import RowError, normalise_header, read_csv


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_it_reads_utf8_with_bom_and_semicolons():
    data = "\ufeffLeerlingnummer;E-mailadres\n123;a@example.org \n".encode()
    table = read_csv(data, ["leerlingnummer", "e-mailadres"])
    assert table.errors == []
    assert table.rows == [(2, {"leerlingnummer": "123", "emailadres": "a@example.org"})]


def test_it_falls_back_to_cp1252_as_excel_writes_it():
    data = "naam,plaats\nJosé Müller,Den Haag\n".encode("cp1252")
    table = read_csv(data, ["naam"], ["plaats"])
    assert table.rows[0][1] == {"naam": "José Müller", "plaats": "Den Haag"}


def test_it_sniffs_tabs_and_normalises_headers():
    data = b"Leerling Nummer\tRoep_naam\n1\tAnna\n"
    table = read_csv(data, ["leerlingnummer", "roepnaam"])
    assert table.rows == [(2, {"leerlingnummer": "1", "roepnaam": "Anna"})]
    assert normalise_header(" Leerling-Nummer ") == "leerlingnummer"


def test_a_missing_required_column_is_one_error_on_line_1():
    table = read_csv(b"naam;plaats\nA;B\n", ["leerlingnummer", "naam"])
    assert [e.line for e in table.errors] == [1]
    assert "leerlingnummer" in table.errors[0].message
    assert table.rows == []


def test_line_numbers_are_the_lines_a_user_sees():
    # A blank line and a quoted value over two lines: the rows after them keep their real numbers.
    data = b'a;b\n1;x\n\n2;"two\nlines"\n3;y\n'
    table = read_csv(data, ["a", "b"])
    assert [(line, row["a"]) for line, row in table.rows] == [(2, "1"), (5, "2"), (6, "3")]


def test_too_many_values_is_a_row_error_and_short_rows_are_filled():
    table = read_csv(b"a;b\n1;2;3\n4\n", ["a"], ["b"])
    assert table.errors == [RowError(2, table.errors[0].message)]
    assert table.rows == [(3, {"a": "4", "b": ""})]


def test_an_empty_file_is_an_error():
    assert read_csv(b"", ["a"]).errors[0].line == 1
    assert read_csv(b"\n\n", ["a"]).errors[0].line == 1
