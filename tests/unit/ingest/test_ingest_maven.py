"""The public Maven Analytics CRM sample (sales_pipeline.csv), 8,800 deals."""

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from kpi.schema import TableKind

# ../shared/samples beside the project (read in place, never copied)
SAMPLE = (
    Path(__file__).resolve().parents[4] / "shared" / "samples" / "maven_crm" / "sales_pipeline.csv"
)


@pytest.fixture(scope="module")
def maven(load):
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is not available")
    return load(SAMPLE.read_bytes(), "sales_pipeline.csv")


def test_recognised_as_deals(maven):
    report = maven.report
    assert report.table == TableKind.DEALS
    assert report.delimiter == ","
    assert report.date_order == "YMD"
    mapping = report.mapping
    assert mapping["opportunity_id"] == "deal_id"
    assert mapping["sales_agent"] == "owner"
    assert mapping["deal_stage"] == "stage"
    assert mapping["engage_date"] == "created_at"
    assert mapping["close_date"] == "closed_at"
    assert mapping["close_value"] == "amount"


def test_row_counts(maven):
    report = maven.report
    assert report.rows_read == 8800
    assert report.rows_rejected == 500
    assert report.rows_accepted == 8300
    assert report.rows_dropped == 0


def test_prospecting_rows_rejected_for_missing_created_at(maven, names):
    rejects = maven.report.rejects
    assert len({r.row for r in rejects}) == 500
    for reject in rejects:
        assert names(reject, "created_at", "engage_date"), reject
    # the last line of the file is a Prospecting deal (8I5ONXJX)
    assert any(r.row == 8801 for r in rejects)
    assert "8I5ONXJX" not in set(maven.column("deal_id"))


def test_stages_map_to_statuses(maven):
    counts = Counter(zip(maven.column("stage"), maven.column("status"), strict=True))
    assert counts == {
        ("Won", "won"): 4238,
        ("Lost", "lost"): 2473,
        ("Engaging", "open"): 1589,
    }


def test_first_row(maven):
    row = maven.by("deal_id")["1C1I7A6R"]
    assert row["owner"] == "Moses Frase"
    assert row["stage"] == "Won"
    assert row["status"] == "won"
    assert row["created_at"] == date(2016, 10, 20)
    assert row["closed_at"] == date(2017, 3, 1)
    assert row["amount"] == 1054.0
    assert row["channel"] == "unknown"
    assert row["source_file"] == "sales_pipeline.csv"


def test_engaging_deals_have_zero_amount(maven):
    engaging = [r for r in maven.rows if r["stage"] == "Engaging"]
    assert len(engaging) == 1589
    assert {r["amount"] for r in engaging} == {0.0}
    assert all(r["closed_at"] is None for r in engaging)
    assert any(note.code == "msg.note.empty_amounts" for note in maven.report.notes)
