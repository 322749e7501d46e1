"""Spreadsheet (XLSX, built with xlsxwriter) and Parquet uploads."""

import io
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kpi.schema import TableKind

xlsxwriter = pytest.importorskip("xlsxwriter")

HEADERS = [
    "Opportunity ID",
    "Opportunity Name",
    "Opportunity Owner",
    "Stage",
    "Amount",
    "Created Date",
    "Close Date",
    "Lead Source",
]


FOOTER = [
    "",
    "Grand Totals (3 records)",
    "",
    "Confidential Information - Do Not Distribute",
    "Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved.",
]


def build_xlsx(path, rows, *, numeric_ids: bool = False, footer: bool = False) -> bytes:
    """A workbook with a report title on row 1 and the header on row 2."""
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Opportunities")
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    money_format = workbook.add_format({"num_format": "#,##0.00 [$€-40C]"})
    sheet.write_string(0, 0, "Pipeline report - March 2024")
    for col, header in enumerate(HEADERS):
        sheet.write_string(1, col, header)
    for r, row in enumerate(rows, start=2):
        deal_id, name, owner, stage, amount, created, closed, source = row
        if numeric_ids:
            sheet.write_number(r, 0, int(deal_id))
        else:
            sheet.write_string(r, 0, deal_id)
        sheet.write_string(r, 1, name)
        sheet.write_string(r, 2, owner)
        sheet.write_string(r, 3, stage)
        sheet.write_number(r, 4, amount, money_format)
        sheet.write_datetime(r, 5, created, date_format)
        if closed is None:
            sheet.write_blank(r, 6, None)
        else:
            sheet.write_datetime(r, 6, closed, date_format)
        sheet.write_string(r, 7, source)
    if footer:
        first = 2 + len(rows)
        for offset, line in enumerate(FOOTER):
            if line:
                sheet.write_string(first + offset, 0, line)
    workbook.close()
    return path.read_bytes()


ROWS = [
    ("OPP-1", "Acme", "Hélène Lefèvre", "Closed Won", 12345.5,
     datetime(2024, 3, 5), datetime(2024, 3, 28), "LinkedIn"),
    ("OPP-2", "Globex", "John Smith", "Closed Lost", 980.0,
     datetime(2024, 1, 15, 14, 30), datetime(2024, 2, 20, 9, 0), "Cold call"),
    ("OPP-3", "Initech", "John Smith", "Prospecting", 1500.0,
     datetime(2024, 2, 2), None, "Webinar"),
]  # fmt: skip


@pytest.fixture(scope="module")
def xlsx(load, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "pipeline.xlsx"
    return load(build_xlsx(path, ROWS), "pipeline.xlsx")


def test_xlsx_title_row_and_header(xlsx):
    report = xlsx.report
    assert report.table == TableKind.DEALS
    assert report.header_row == 2
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 3, 0)
    assert report.mapping["Opportunity ID"] == "deal_id"
    assert report.mapping["Created Date"] == "created_at"


def test_xlsx_typed_cells(xlsx):
    rows = xlsx.by("deal_id")
    won = rows["OPP-1"]
    assert won["owner"] == "Hélène Lefèvre"
    assert won["status"] == "won"
    assert won["amount"] == 12345.5
    assert won["created_at"] == date(2024, 3, 5)
    assert won["closed_at"] == date(2024, 3, 28)
    assert won["channel"] == "linkedin"
    assert won["source_file"] == "pipeline.xlsx"
    lost = rows["OPP-2"]
    assert lost["status"] == "lost"
    assert lost["amount"] == 980.0
    assert lost["created_at"] == date(2024, 1, 15)
    assert lost["closed_at"] == date(2024, 2, 20)
    assert lost["channel"] == "cold_call"
    open_ = rows["OPP-3"]
    assert open_["status"] == "open"
    assert open_["closed_at"] is None
    assert open_["created_at"] == date(2024, 2, 2)
    assert open_["channel"] == "event"


def test_xlsx_numeric_id_cells_are_plain_text(load, tmp_path):
    rows = [("1001", *ROWS[0][1:]), ("1002", *ROWS[1][1:])]
    loaded = load(build_xlsx(tmp_path / "ids.xlsx", rows, numeric_ids=True), "ids.xlsx")
    assert sorted(loaded.column("deal_id")) == ["1001", "1002"]


def test_xlsx_salesforce_footer_is_not_rows(load, tmp_path):
    loaded = load(build_xlsx(tmp_path / "sf.xlsx", ROWS, footer=True), "sf.xlsx")
    assert loaded.report.rows_read == 3
    assert loaded.report.rows_rejected == 0
    assert sorted(loaded.column("deal_id")) == ["OPP-1", "OPP-2", "OPP-3"]


def test_xlsx_text_dates_and_amounts(load, tmp_path):
    path = tmp_path / "text-cells.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    header = ["Identifiant", "Commercial", "Statut", "Montant", "Date de création"]
    data = [
        ["T1", "Zoé Martin", "En cours", "1 234,50 €", "03/04/2024"],
        ["T2", "Zoé Martin", "En cours", "99,90 €", "25/03/2024"],
    ]
    for r, values in enumerate([header, *data]):
        for c, value in enumerate(values):
            sheet.write_string(r, c, value)
    workbook.close()
    loaded = load(path.read_bytes(), "text-cells.xlsx")
    assert loaded.report.header_row == 1
    rows = loaded.by("deal_id")
    assert rows["T1"]["amount"] == 1234.5
    assert rows["T1"]["created_at"] == date(2024, 4, 3)
    assert rows["T2"]["amount"] == 99.9
    assert rows["T2"]["created_at"] == date(2024, 3, 25)


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def test_parquet_with_canonical_headers(load):
    table = pa.table(
        {
            "deal_id": pa.array(["P1", "P2", "P3"]),
            "owner": pa.array(["Ann Lee", None, "Bo Chen"]),
            "channel": pa.array(["linkedin", "referral", None]),
            "status": pa.array(["won", "lost", "open"]),
            "amount": pa.array([12345.5, 200.0, None], pa.float64()),
            "created_at": pa.array([date(2024, 3, 25), date(2024, 1, 2), date(2024, 2, 3)]),
            "closed_at": pa.array([date(2024, 4, 1), date(2024, 1, 30), None]),
        }
    )
    loaded = load(parquet_bytes(table), "deals.parquet")
    assert loaded.report.table == TableKind.DEALS
    rows = loaded.by("deal_id")
    assert rows["P1"]["owner"] == "Ann Lee"
    assert rows["P1"]["amount"] == 12345.5
    assert rows["P1"]["status"] == "won"
    assert rows["P1"]["created_at"] == date(2024, 3, 25)
    assert rows["P1"]["closed_at"] == date(2024, 4, 1)
    assert rows["P1"]["channel"] == "linkedin"
    assert rows["P2"]["owner"] == "Unassigned"
    assert rows["P2"]["status"] == "lost"
    assert rows["P2"]["channel"] == "referral"
    assert rows["P3"]["amount"] == 0.0
    assert rows["P3"]["channel"] == "unknown"
    assert rows["P3"]["closed_at"] is None


def test_parquet_with_crm_headers(load):
    table = pa.table(
        {
            "Deal - ID": pa.array([11, 12], pa.int64()),
            "Deal - Owner": pa.array(["Sam Lee", "Sam Lee"]),
            "Deal - Status": pa.array(["won", "deleted"]),
            "Deal - Value": pa.array([10.5, 3.0]),
            "Deal - Deal created": pa.array([date(2024, 3, 1), date(2024, 3, 2)]),
            "Deal - Won time": pa.array([datetime(2024, 3, 9, 10, 0), None], pa.timestamp("us")),
        }
    )
    loaded = load(parquet_bytes(table), "pipedrive.parquet")
    assert loaded.report.table == TableKind.DEALS
    assert loaded.report.rows_dropped == 1
    (row,) = loaded.rows
    assert row["deal_id"] == "11"
    assert row["status"] == "won"
    assert row["amount"] == 10.5
    assert row["closed_at"] == date(2024, 3, 9)


def test_parquet_timestamps_and_integer_amounts(load):
    table = pa.table(
        {
            "deal_id": pa.array(["Q1", "Q2"]),
            "owner": pa.array(["Ann Lee", "Ann Lee"]),
            "status": pa.array(["won", "open"]),
            "amount": pa.array([1500, 30], pa.int64()),
            "created_at": pa.array(
                [datetime(2024, 3, 25, 14, 2), datetime(2024, 3, 26, 8, 0)], pa.timestamp("us")
            ),
            "closed_at": pa.array([datetime(2024, 4, 1, 9, 30), None], pa.timestamp("us")),
        }
    )
    loaded = load(parquet_bytes(table), "deals-ts.parquet")
    rows = loaded.by("deal_id")
    assert rows["Q1"]["amount"] == 1500.0
    assert rows["Q1"]["created_at"] == date(2024, 3, 25)
    assert rows["Q1"]["closed_at"] == date(2024, 4, 1)
    assert rows["Q2"]["amount"] == 30.0
    assert rows["Q2"]["created_at"] == date(2024, 3, 26)
