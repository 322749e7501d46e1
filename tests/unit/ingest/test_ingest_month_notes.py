"""Month columns (YYYY-MM) are recognised as year-first, not decided by a locale hint."""

from datetime import date

from kpi.ingest import import_file
from kpi.messages import render


def test_iso_months_are_read_year_first_and_said_so() -> None:
    data = b"owner,month,package\nAnn,2025-03,5000\nAnn,2025-12,5200\n"
    result = import_file(data, "packages.csv")
    assert result.table["month"].to_pylist() == [date(2025, 3, 1), date(2025, 12, 1)]
    notes = {c.source: c.note for c in result.report.columns}
    assert render(notes["month"]) == "ISO dates (year first)"
    assert result.report.date_order == "YMD"
