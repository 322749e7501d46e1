"""CSV downloads as a spreadsheet in each language reads them.

French Excel splits cells on `;` and reads `,` as the decimal mark; English
Excel splits on `,`. Both files start with a BOM. Formula neutralisation is
covered in tests/unit/robustness/test_export_injection.py; here it is checked
again in the French style, where the delimiter changes.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from kpi.export import cents, to_csv
from kpi.i18n import t
from kpi.ui.kpi_page import Column, rows_csv

BOM = "\ufeff".encode()


def _read(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                           delimiter=delimiter))


def test_french_files_use_semicolons_and_decimal_commas() -> None:
    data = to_csv([{"Canal": "Salon; stand B", "CA": cents(1738203.4), "Taux": 0.204}],
                  ["Canal", "CA", "Taux"], "fr")
    assert data.decode("utf-8-sig").splitlines()[1] == '"Salon; stand B";1738203,40;0,204'
    assert _read(data, ";") == [["Canal", "CA", "Taux"], ["Salon; stand B", "1738203,40", "0,204"]]


def test_english_files_use_commas_and_dots() -> None:
    data = to_csv([{"Channel": "Trade show, booth B", "Revenue": cents(1738203.4), "Rate": 0.204}],
                  ["Channel", "Revenue", "Rate"], "en")
    assert data.decode("utf-8-sig").splitlines()[1] == '"Trade show, booth B",1738203.40,0.204'
    assert _read(data, ",")[1] == ["Trade show, booth B", "1738203.40", "0.204"]


def test_money_is_rounded_to_the_cent_halves_up() -> None:
    assert cents(226029.68000000002) == Decimal("226029.68")
    assert cents(705216) == Decimal("705216.00")
    assert cents(0.125) == Decimal("0.13")
    assert cents(-0.125) == Decimal("-0.13")


def test_float_noise_never_reaches_a_file() -> None:
    rows = _read(to_csv([{"a": 0.1 + 0.2, "b": 226029.68000000002}], ["a", "b"], "fr"), ";")
    assert rows[1] == ["0,3", "226029,68"]


def test_formulas_are_neutralised_in_french_files_too() -> None:
    rows = _read(to_csv([{"=n": "=1+1", "m": "-2;3", "x": -250.5, "h": "@a"}],
                        ["=n", "m", "x", "h"], "fr"), ";")
    assert rows == [["'=n", "m", "x", "h"], ["'=1+1", "'-2;3", "-250,5", "'@a"]]


COLUMNS = (
    Column("month", "col.month", "month"),
    Column("channel", "col.channel", "channel"),
    Column("status", "col.status", "status"),
    Column("revenue", "kpi.revenue", "money"),
    Column("win_rate", "kpi.win_rate", "percent"),
    Column("closed", "kpi.closed"),
)
ROW = {"month": date(2026, 3, 1), "channel": "website_paid", "status": "won",
       "revenue": 226029.68000000002, "win_rate": 2 / 7, "closed": 7}


def test_a_page_download_has_the_language_headers_and_words_not_ids() -> None:
    rows = _read(rows_csv([ROW], COLUMNS, "fr"), ";")
    assert rows[0] == [t(c.label, "fr") for c in COLUMNS]
    # 2 won of 7 closed: 0.285714… kept as a fraction to 4 decimals (28.57 %).
    assert rows[1] == ["2026-03", t("channel.website_paid", "fr"), t("status.won", "fr"),
                       "226029,68", "0,2857", "7"]


def test_the_english_download_of_the_same_rows() -> None:
    rows = _read(rows_csv([ROW, {"channel": "unknown"}], COLUMNS, "en"), ",")
    assert rows[0] == [t(c.label, "en") for c in COLUMNS]
    assert rows[1] == ["2026-03", t("channel.website_paid", "en"), t("status.won", "en"),
                       "226029.68", "0.2857", "7"]
    assert rows[2] == ["", t("channel.unknown", "en"), "", "", "", ""]
