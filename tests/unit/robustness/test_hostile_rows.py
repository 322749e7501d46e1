"""Cells and rows built to confuse the importer: each is kept as plain data,
or rejected with a reason naming its line and column (docs/tables.md)."""

from __future__ import annotations

import io
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hostile_inputs import DEALS_HEADER, csv_bytes, deal

from kpi.ingest import import_file
from kpi.ingest.parse import MAX_NUMBER
from kpi.messages import render_all
from kpi.schema import TableKind


def by_id(result) -> dict[str, dict]:
    return {row["deal_id"]: row for row in result.table.to_pylist()}


def rejects(result) -> dict[int, object]:
    return {r.row: r for r in result.report.rejects}


# ---------------------------------------------------------------- amounts


def test_negative_amounts_are_kept_as_credit_notes() -> None:
    """A refund or credit note is a real negative amount: kept, signed."""
    data = csv_bytes([deal("N1", amount="-250"), deal("N2", amount="(1 200)"),
                      deal("N3", amount="\u2212300")])
    rows = by_id(import_file(data, "credits.csv"))
    assert rows["N1"]["amount"] == -250
    assert rows["N2"]["amount"] == -1200  # accounting parentheses
    assert rows["N3"]["amount"] == -300  # the minus sign U+2212


def test_absurd_amounts_are_rejected_with_a_reason() -> None:
    data = csv_bytes([deal("B1", amount="99999999999999"),  # 1e14: large but possible
                      deal("B2", amount="1e300"), deal("B3", amount="-5e15"),
                      deal("B4", amount="123456789012345678901234567890")])
    result = import_file(data, "absurd.csv")
    assert set(by_id(result)) == {"B1"}
    assert by_id(result)["B1"]["amount"] == 99999999999999
    for line in (3, 4, 5):
        reject = rejects(result)[line]
        assert reject.column == "amount" and "plausible" in str(reject.reason), reject
    assert MAX_NUMBER == 1e15


def test_absurd_counts_in_content_do_not_overflow() -> None:
    data = (b"date,owner,kind,views,likes\n"
            b"2024-01-01,Ann,own_post,1e300,5\n"
            b"2024-01-02,Ann,own_post,inf,nan\n"
            b"2024-01-03,Ann,own_post,10,2\n")
    result = import_file(data, "content.csv")
    assert result.report.table == TableKind.CONTENT
    assert result.table.column("views").to_pylist() == [10]
    assert {r.row: r.column for r in result.report.rejects} == {2: "views", 3: "views"}


def test_infinite_package_is_rejected() -> None:
    data = b"owner,month,package\nAnn,2024-01,inf\nBob,2024-01,5000\n"
    result = import_file(data, "packages.csv")
    assert result.table.column("owner").to_pylist() == ["Bob"]
    assert rejects(result)[2].column == "package"


# ---------------------------------------------------------------- dates


def test_deals_closed_before_creation_are_kept_and_counted_in_a_note() -> None:
    """docs/tables.md: real CRMs have deals entered after the fact; they are kept."""
    data = csv_bytes([deal("C1", status="won", created_at="2024-03-10", closed_at="2024-03-01"),
                      deal("C2", status="lost", created_at="2024-03-10",
                           closed_at="2024-03-10"),  # same day: not early
                      deal("C3", created_at="2024-03-10", closed_at="2024-03-01")])  # open
    result = import_file(data, "order.csv")
    assert set(by_id(result)) == {"C1", "C2", "C3"}
    assert str(by_id(result)["C1"]["closed_at"]) == "2024-03-01"
    assert ("1 deal(s) close before their creation date: they are kept and counted, but left "
            "out of the sales cycle.") in render_all(result.report.notes)


def test_won_deal_without_close_date_is_rejected() -> None:
    result = import_file(csv_bytes([deal("W1", status="won"), deal("W2")]), "won.csv")
    assert set(by_id(result)) == {"W2"}
    assert rejects(result)[2].column == "closed_at"
    assert "close date" in str(rejects(result)[2].reason)


@pytest.mark.parametrize("value", ["1900-01-01", "9999-12-31", "01/01/1900", "31/12/9999"])
def test_dates_outside_the_supported_years_are_rejected(value: str) -> None:
    result = import_file(csv_bytes([deal("Y1", created_at=value), deal("Y2")]), "years.csv")
    assert set(by_id(result)) == {"Y2"}
    reject = rejects(result)[2]
    assert reject.column == "created_at" and "1970-2100" in str(reject.reason)
    assert reject.value == value


def test_mixed_date_orders_majority_decides_and_the_note_says_so() -> None:
    data = csv_bytes([deal("M1", created_at="25/03/2024"), deal("M2", created_at="26/03/2024"),
                      deal("M3", created_at="3/27/2024"), deal("M4", created_at="04/02/2024")])
    result = import_file(data, "mixed.csv")
    rows = by_id(result)
    assert rows["M1"]["created_at"] == date(2024, 3, 25)
    assert rows["M4"]["created_at"] == date(2024, 2, 4)  # read day first, like the majority
    assert "M3" not in rows and rejects(result)[4].column == "created_at"
    note = next(c.note for c in result.report.columns if c.source == "created_at")
    assert note.code == "msg.column.mixed_orders" and note.params["order"] == "DMY"
    assert "mixed" in str(note) and "majority" in str(note) and "DMY" in str(note)


# ---------------------------------------------------------------- columns and ids


def test_two_columns_for_one_field_first_by_priority_wins_other_is_visible() -> None:
    data = (b"Deal ID,Deal owner,owner,Amount,Create Date\n"
            b"H1,Ann,Bo,100,2024-01-01\n")
    result = import_file(data, "hubspot.csv")
    assert result.table.column("owner").to_pylist() == ["Bo"]  # the canonical name first
    columns = {c.source: c for c in result.report.columns}
    assert columns["owner"].field == "owner"
    ignored = columns["Deal owner"]
    assert ignored.field is None
    assert "ignored" in str(ignored.note) and "'owner'" in str(ignored.note)


def test_an_amount_already_in_the_company_currency_wins_over_the_amount() -> None:
    """docs/tables.md: HubSpot's "Amount in company currency" is used when present."""
    data = (b"Deal ID,Deal owner,Amount in company currency,Amount,Create Date\n"
            b"H1,Ann,999,100,2024-01-01\n")
    result = import_file(data, "hubspot.csv")
    assert result.table.column("amount").to_pylist() == [999]
    columns = {c.source: c.field for c in result.report.columns}
    assert columns["Amount in company currency"] == "amount_company"


def test_duplicate_ids_keep_the_first_and_name_its_line() -> None:
    data = csv_bytes([deal("D1"), deal("D2"), deal("D1", owner="Someone else")])
    result = import_file(data, "dups.csv")
    assert by_id(result)["D1"]["owner"] == "Cy Dee"
    reject = rejects(result)[4]
    assert reject.column == "deal_id" and "line 2" in str(reject.reason)


# ---------------------------------------------------------------- text is data

HOSTILE_TEXT = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "x'); DROP TABLE deals; --",
    "Robert\"); DELETE FROM deals WHERE (\"1\"=\"1",
    "$reps; SELECT 1",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "Ünïcødé ✓ 東京 \u202eevil",
    "../../etc/passwd",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_hostile_text_is_stored_exactly_as_written(text: str) -> None:
    """No escaping in the data: escaping is the UI's job, neutralising the export's."""
    data = csv_bytes([deal("T1", deal_name=text, owner=text), deal("T2")])
    result = import_file(data, "text.csv")
    row = by_id(result)["T1"]
    assert row["deal_name"] == text
    assert row["owner"] == text.strip()  # owners are trimmed, nothing else
    assert result.report.rows_rejected == 0


@pytest.mark.parametrize("broken_row", [False, True], ids=["fast-path", "exact-path"])
def test_very_long_cells_are_kept_whole(broken_row: bool) -> None:
    long_name = "é" + "x" * 199_998 + "!"  # 200k characters, over csv's default field limit
    rows = [deal("L1", deal_name=long_name), deal("L2")]
    data = csv_bytes(rows)
    if broken_row:  # a malformed row sends the file down the exact (Python) reader
        data += b"L3,too,few\n"
    result = import_file(data, "long.csv")
    assert by_id(result)["L1"]["deal_name"] == long_name
    assert result.report.rows_accepted == 2


# ---------------------------------------------------------------- encodings and line ends


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_read(encoding: str) -> None:
    text = csv_bytes([deal("U1", owner="Hélène"), deal("U2")]).decode()
    data = text.encode(encoding)  # "utf-16" writes a BOM; -le/-be do not
    result = import_file(data, "utf16.csv")
    assert by_id(result)["U1"]["owner"] == "Hélène"
    assert result.report.encoding == "utf-16"


def test_utf16_with_a_cut_last_character_is_read() -> None:
    data = csv_bytes([deal("U1"), deal("U2")]).decode().encode("utf-16") + b"\x41"
    assert set(by_id(import_file(data, "cut.csv"))) == {"U1", "U2"}


def test_mixed_line_endings_keep_every_row_and_exact_line_numbers() -> None:
    header = ",".join(DEALS_HEADER)
    lines = [header, ",".join(deal("E1")), ",".join(deal("E2")), ",".join(deal("E3")),
             ",".join(deal("E4", amount="oops")), ",".join(deal("E5"))]
    data = (lines[0] + "\r\n" + lines[1] + "\n" + lines[2] + "\r" + lines[3] + "\r\n"
            + lines[4] + "\n" + lines[5] + "\r").encode()
    result = import_file(data, "endings.csv")
    assert set(by_id(result)) == {"E1", "E2", "E3", "E5"}
    assert rejects(result)[5].column == "amount"


def test_old_mac_line_endings_only() -> None:
    data = csv_bytes([deal("R1"), deal("R2")], newline="\r")
    assert set(by_id(import_file(data, "mac.csv"))) == {"R1", "R2"}


def test_form_feed_in_a_title_row_does_not_shift_the_header() -> None:
    data = b"Pipeline report\x0cpage 1\n" + csv_bytes([deal("F1"), deal("F2")])
    result = import_file(data, "report.csv")
    assert set(by_id(result)) == {"F1", "F2"}
    assert result.report.header_row == 2


@pytest.mark.parametrize("stray", [b"\x81", b"\x8d", b"\x9d"])
def test_bytes_undefined_in_cp1252_do_not_break_the_file(stray: bytes) -> None:
    data = csv_bytes([deal("W1", owner="H\xe9l\xe8ne"), deal("W2")], encoding="cp1252")
    data = data.replace(b"W2,Name", b"W2,Na" + stray + b"me")
    result = import_file(data, "windows.csv")
    rows = by_id(result)
    assert rows["W1"]["owner"] == "Hélène"
    assert rows["W2"]["deal_name"] == "Na\ufffdme"


def test_utf8_bom_file_with_a_stray_byte_far_down_keeps_its_accents() -> None:
    rows = [deal(f"S{i}", owner="Hélène") for i in range(3000)]
    data = b"\xef\xbb\xbf" + csv_bytes(rows) + b"S-last,Na\xffme,Ann,open,1,2024-01-01,,x\n"
    result = import_file(data, "bom.csv")
    assert by_id(result)["S0"]["owner"] == "Hélène"
    assert by_id(result)["S-last"]["deal_name"] == "Na\ufffdme"


def test_unbalanced_quote_keeps_the_rows_before_and_names_the_line() -> None:
    good = csv_bytes([deal("Q1"), deal("Q2")])
    data = good + b'Q3,"Acme,Ann,open,1,2024-01-01,,x\nQ4,Name,Bo,open,2,2024-01-02,,x\n'
    result = import_file(data, "quotes.csv")
    assert {"Q1", "Q2"} <= set(by_id(result))
    assert 4 in rejects(result)
    assert "malformed" in str(rejects(result)[4].reason)


def test_quote_inside_an_unquoted_field_is_plain_text() -> None:
    data = csv_bytes([deal("Q1")]) + b'Q2,Glo"bex,Ann,open,1,2024-01-01,,x\n'
    assert by_id(import_file(data, "quote.csv"))["Q2"]["deal_name"] == 'Glo"bex'


# ---------------------------------------------------------------- parquet


def _parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_parquet_nested_columns_are_ignored_with_a_note() -> None:
    table = pa.table({"deal_id": ["P1"], "owner": ["Ann"], "amount": [1.5],
                      "created_at": ["2024-01-01"], "tags": pa.array([[1, 2]]),
                      "meta": pa.array([{"a": 1}])})
    result = import_file(_parquet(table), "nested.parquet")
    assert result.table.column("deal_id").to_pylist() == ["P1"]
    assert any("'tags'" in note and "ignored" in note for note in render_all(result.report.notes))


def test_parquet_binary_column_with_invalid_utf8_is_read() -> None:
    table = pa.table({"deal_id": pa.array([b"P\xff1", b"P2"], pa.binary()),
                      "owner": ["Ann", "Bo"], "amount": [1.0, 2.0],
                      "created_at": ["2024-01-01", "2024-01-02"]})
    result = import_file(_parquet(table), "binary.parquet")
    assert result.table.column("deal_id").to_pylist() == ["P\ufffd1", "P2"]


def test_parquet_non_finite_amounts_are_rejected() -> None:
    table = pa.table({"deal_id": ["P1", "P2", "P3"], "owner": ["A", "B", "C"],
                      "amount": [float("nan"), float("inf"), 5.0],
                      "created_at": ["2024-01-01"] * 3})
    result = import_file(_parquet(table), "nan.parquet")
    assert result.table.column("deal_id").to_pylist() == ["P3"]
    assert {r.column for r in result.report.rejects} == {"amount"}


def test_unclosed_quote_in_the_last_field_does_not_swallow_rows_silently() -> None:
    """`..,"Webinar` opens a field that would run to the end of the file and keep
    the row's width: the rows it swallows must show up as a rejected row."""
    good = csv_bytes([deal("R1")])
    data = (good + b'R2,Name,Ann,open,1,2024-01-01,,"Webinar\n'
            + csv_bytes([deal("R3"), deal("R4")])[len(",".join(DEALS_HEADER)) + 1:])
    result = import_file(data, "runaway.csv")
    assert set(by_id(result)) == {"R1"}
    reject = rejects(result)[3]
    reason = str(reject.reason)
    assert "unbalanced quote" in reason and "lines 3-5" in reason


def test_a_real_multi_line_note_is_kept() -> None:
    note = "Called Ann, then Bob.\nSent the deck, the quote, and the terms.\n\nFollow up."
    result = import_file(csv_bytes([deal("M1", deal_name=note), deal("M2")]), "notes.csv")
    assert by_id(result)["M1"]["deal_name"] == note
    assert result.report.rows_rejected == 0
