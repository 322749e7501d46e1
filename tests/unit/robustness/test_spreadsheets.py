"""Workbooks a user may really upload: several sheets, merged cells, formulas,
dates stored as serial numbers, a damaged or password-protected file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from hostile_inputs import OLE, xlsx_bytes

from kpi.ingest import UnreadableFile, import_file
from kpi.messages import msg

HEADER = ["Deal ID", "Deal Name", "Deal owner", "Deal Stage", "Amount", "Create Date",
          "Close Date"]


def _workbook(workbook: Any) -> None:
    notes = workbook.add_worksheet("Read me")
    notes.write_string(0, 0, "Exported from the CRM on 2024-04-01")
    notes.write_string(1, 0, "Amounts in EUR")

    deals = workbook.add_worksheet("Deals")
    iso = workbook.add_format({"num_format": "yyyy-mm-dd"})
    deals.merge_range(0, 0, 0, 6, "Pipeline report (a merged title row)")
    deals.write_row(1, 0, HEADER)
    # Dates as bare serial numbers (no date format): 45352 is 2024-03-01.
    deals.write_row(2, 0, ["D1", "Acme", "Ann", "Closed Won", 100, 45352, 45360])
    # A formula with its cached value, and a real date cell.
    deals.write_row(3, 0, ["D2", "Globex", "Bob", "Prospecting"])
    deals.write_formula(3, 4, "=E3*2", None, 200)
    deals.write_datetime(3, 5, datetime(2024, 3, 5), iso)
    # A merged cell across the id and name columns: the value sits in the first one.
    deals.merge_range(4, 0, 4, 1, "D3")
    deals.write_row(4, 2, ["Cy", "Closed Lost", 50, 45300, 45310])
    # Formula-looking text stays text (written as a string, not a formula).
    deals.write_string(5, 0, "D4")
    deals.write_string(5, 1, "=HYPERLINK(\"http://evil.example\")")
    deals.write_row(5, 2, ["Dee", "Prospecting", 5, "2024-03-01"])
    # Serial numbers that are out of the supported years.
    deals.write_row(6, 0, ["D5", "Old", "Eve", "Prospecting", 1, 1000])

    other = workbook.add_worksheet("Archive")
    other.write_row(0, 0, ["Deal ID", "Deal owner", "Amount", "Create Date"])
    other.write_row(1, 0, ["X1", "Zed", 7, "2024-01-01"])


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return xlsx_bytes(_workbook)


def test_the_sheet_with_recognisable_headers_is_chosen(workbook: bytes) -> None:
    result = import_file(workbook, "pipeline.xlsx")
    assert result.report.sheet == "Deals"
    assert result.report.header_row == 2  # below the merged title
    assert msg("note.sheet_read", sheet="Deals", count=3) in result.report.notes


def test_sheet_picks_another(workbook: bytes) -> None:
    result = import_file(workbook, "pipeline.xlsx", sheet="Archive")
    assert result.report.sheet == "Archive"
    assert result.table.column("deal_id").to_pylist() == ["X1"]


def test_a_sheet_without_headers_says_so(workbook: bytes) -> None:
    with pytest.raises(UnreadableFile, match="no column was recognised"):
        import_file(workbook, "pipeline.xlsx", sheet="Read me")


def test_a_missing_sheet_is_named(workbook: bytes) -> None:
    with pytest.raises(UnreadableFile, match="'Nope'"):
        import_file(workbook, "pipeline.xlsx", sheet="Nope")


def test_cells_merged_formulas_and_serial_dates(workbook: bytes) -> None:
    result = import_file(workbook, "pipeline.xlsx")
    rows = {r["deal_id"]: r for r in result.table.to_pylist()}
    assert rows["D1"]["created_at"] == date(2024, 3, 1)  # serial 45352
    assert rows["D1"]["closed_at"] == date(2024, 3, 9)
    assert rows["D1"]["status"] == "won"
    assert rows["D2"]["amount"] == 200  # the formula's cached value
    assert rows["D2"]["created_at"] == date(2024, 3, 5)
    assert rows["D3"]["deal_name"] is None  # the merged cell's other half is empty
    assert rows["D3"]["status"] == "lost"
    assert rows["D4"]["deal_name"] == "=HYPERLINK(\"http://evil.example\")"


def test_serial_numbers_out_of_range_are_rejected_with_the_line(workbook: bytes) -> None:
    result = import_file(workbook, "pipeline.xlsx")
    rejects = {r.row: r for r in result.report.rejects}
    assert set(rejects) == {7}  # sheet row 7
    assert rejects[7].column == "Create Date"


def test_truncated_workbook_is_refused_in_one_line(workbook: bytes) -> None:
    for cut in (10, 200, len(workbook) // 2, len(workbook) - 30):
        with pytest.raises(UnreadableFile) as caught:
            import_file(workbook[:cut], "pipeline.xlsx")
        message = str(caught.value)
        assert message.startswith("pipeline.xlsx:") and "\n" not in message


def test_password_protected_workbook_is_refused() -> None:
    with pytest.raises(UnreadableFile, match="password"):
        import_file(OLE, "locked.xlsx")


def test_xlsx_renamed_csv_is_read_as_a_workbook(workbook: bytes) -> None:
    result = import_file(workbook, "pipeline.csv")
    assert result.report.sheet == "Deals"
