"""The tests' own readers (conftest.Raw) on literal values: the expected figures
of the other modules are only as good as these."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest


@pytest.mark.parametrize(("text", "value"), [
    ("$22,700.00", Decimal("22700")), ("$141.56K", Decimal("141560")),
    ("$1,117.10K", Decimal("1117100")), ("$3,723.3", Decimal("3723.3")), ("", Decimal(0)),
])
def test_dollars(raw, text, value):
    assert raw.dollars(text) == value


@pytest.mark.parametrize(("reader", "text", "day"), [
    ("zoho_day", "15 Apr, 2021 00:02:00", date(2021, 4, 15)),
    ("zoho_day", "4 Aug, 2018 23:59:00", date(2018, 8, 4)),
    ("iso_day", "2021-02-03T15:58:12+03:00", date(2021, 2, 3)),
    ("iso_day", "2023-04-04 11:48", date(2023, 4, 4)),
    ("dmy_day", "26-02-2018 19:58", date(2018, 2, 26)),
    ("dmy_day", "01-12-2017", date(2017, 12, 1)),
])
def test_days(raw, reader, text, day):
    assert getattr(raw, reader)(text) == day


def test_read_keeps_line_numbers_and_sets_stray_lines_apart(raw, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(b'\xef\xbb\xbf"id","note"\r\n"1","two\r\nlines"\r\n"2",""\r\nstray\r\n\r\n'
                     b'"3","N\x00UL"\r\n')
    csv_file = raw.read(path)
    assert csv_file.header == ["id", "note"]
    assert [(line, cells[0]) for line, cells in csv_file.records] == [(2, "1"), (4, "2"), (7, "3")]
    assert csv_file.stray == [(5, ["stray"])]
    assert csv_file.dicts()[2] == {"id": "3", "note": "NUL"}


def test_deal_rules(raw):
    day = date(2024, 3, 1)
    deals = [raw.Deal("A", day, None, "open", Decimal(5)),
             raw.Deal("A", day, day, "won", Decimal(7)),  # repeated id: the first is kept
             raw.Deal("B", None, day, "lost", Decimal(1)),  # no creation date
             raw.Deal("C", day, None, "won", Decimal(2)),  # won without close date
             raw.Deal("D", day, date(2024, 2, 1), "won", Decimal(3), "USD"),  # early close kept
             raw.Deal("E", day, date(2024, 2, 1), "open", Decimal(4))]  # expected close only
    kept = raw.accepted(deals)
    assert [d.deal_id for d in kept] == ["A", "D", "E"]
    assert raw.closed_early(kept) == 1
    assert raw.pipeline(kept) == {"won": 1, "lost": 0, "won_revenue": 3, "open_deals": 2,
                                  "open_pipeline_value": 9}
    assert raw.pipeline(kept, "USD")["open_deals"] == 0
