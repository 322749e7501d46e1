"""Period presets anchored on the data, and comparisons of the same calendar shape.

Every expected date is written by hand from a calendar.
"""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics.period import PRESETS, anchor_day, preset_period, previous_period, year_ago
from kpi.schema import Filters

D = date.fromisoformat


@pytest.mark.parametrize(("today", "latest", "expected"), [
    ("2026-12-04", "2017-12-31", "2017-12-31"),  # Maven-like data, years old
    ("2026-12-04", "2026-10-31", "2026-10-31"),  # an export from October read in December
    ("2026-12-04", "2026-12-04", "2026-12-04"),  # data up to today
    ("2026-12-04", "2027-03-31", "2026-12-04"),  # dates after today (expected closes)
    ("2026-12-04", None, "2026-12-04"),  # empty workspace
])
def test_presets_count_back_from_the_data_when_it_ends_before_today(
        today: str, latest: str | None, expected: str) -> None:
    assert anchor_day(D(today), D(latest) if latest else None) == D(expected)


@pytest.mark.parametrize(("preset", "day", "expected"), [
    # data ending 31 Dec 2017: every preset has data
    ("this_month", "2017-12-31", ("2017-12-01", "2017-12-31")),
    ("last_month", "2017-12-31", ("2017-11-01", "2017-11-30")),
    ("this_quarter", "2017-12-31", ("2017-10-01", "2017-12-31")),
    ("last_quarter", "2017-12-31", ("2017-07-01", "2017-09-30")),
    ("year_to_date", "2017-12-31", ("2017-01-01", "2017-12-31")),
    ("last_12_months", "2017-12-31", ("2017-01-01", "2017-12-31")),
    # today inside the data
    ("this_quarter", "2026-12-03", ("2026-10-01", "2026-12-03")),
    ("last_quarter", "2026-12-03", ("2026-07-01", "2026-09-30")),
    ("last_12_months", "2026-12-03", ("2026-01-01", "2026-12-03")),
    ("last_12_months", "2026-03-15", ("2025-04-01", "2026-03-15")),
    # January: last month and last quarter are in the year before
    ("last_month", "2026-01-10", ("2025-12-01", "2025-12-31")),
    ("last_quarter", "2026-01-10", ("2025-10-01", "2025-12-31")),
    # 29 Feb
    ("this_month", "2024-02-29", ("2024-02-01", "2024-02-29")),
    ("last_month", "2024-03-10", ("2024-02-01", "2024-02-29")),
])
def test_preset_dates(preset: str, day: str, expected: tuple[str, str]) -> None:
    assert preset_period(preset, D(day)) == (D(expected[0]), D(expected[1]))


@pytest.mark.parametrize("preset", ["all", "custom"])
def test_all_data_and_custom_have_no_preset_dates(preset: str) -> None:
    assert preset in PRESETS
    assert preset_period(preset, D("2026-12-03")) == (None, None)


def period(start: str, end: str) -> Filters:
    return Filters(date_from=D(start), date_to=D(end), reps=["Bob"], channels=["event"])


@pytest.mark.parametrize(("current", "expected"), [
    # quarter to date -> the previous quarter to the same day (not the 64 days before)
    (("2026-10-01", "2026-12-03"), ("2026-07-01", "2026-09-03")),
    # year to date -> last year to the same day
    (("2026-01-01", "2026-12-03"), ("2025-01-01", "2025-12-03")),
    (("2026-01-01", "2026-05-15"), ("2025-01-01", "2025-05-15")),
    # month to date -> last month to the same day
    (("2026-12-01", "2026-12-03"), ("2026-11-01", "2026-11-03")),
    # to the 30th of March: February has no 30th -> its last day
    (("2024-03-01", "2024-03-30"), ("2024-02-01", "2024-02-29")),
    # 1 Jan to 29 Feb is also the quarter so far: the smallest unit wins, the
    # previous quarter to its second month's end (year on year is year_ago's)
    (("2024-01-01", "2024-02-29"), ("2023-10-01", "2023-11-30")),
    # quarter to a month's end: the previous quarter to its matching month's end
    (("2024-04-01", "2024-05-31"), ("2024-01-01", "2024-02-29")),
    (("2026-10-01", "2026-11-30"), ("2026-07-01", "2026-08-31")),
    # whole month, quarter, year: the one before
    (("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),
    (("2024-01-01", "2024-03-31"), ("2023-10-01", "2023-12-31")),
    (("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-12-31")),
    # last 12 months (partial month) -> the 12 months before, to the same day
    (("2025-04-01", "2026-03-15"), ("2024-04-01", "2025-03-15")),
    # whole months not aligned on a quarter: as many months before
    (("2024-02-01", "2024-04-30"), ("2023-11-01", "2024-01-31")),
    # a custom range not starting on a 1st: as many days, just before
    (("2024-03-10", "2024-03-19"), ("2024-02-29", "2024-03-09")),
])
def test_previous_period_has_the_same_calendar_shape(current: tuple[str, str],
                                                     expected: tuple[str, str]) -> None:
    before = previous_period(period(*current))
    assert (before.date_from, before.date_to) == (D(expected[0]), D(expected[1]))
    assert before.reps == ["Bob"] and before.channels == ["event"]


@pytest.mark.parametrize(("current", "expected"), [
    (("2026-10-01", "2026-12-03"), ("2025-10-01", "2025-12-03")),
    (("2024-02-01", "2024-02-29"), ("2023-02-01", "2023-02-28")),  # whole February
    (("2024-01-01", "2024-02-29"), ("2023-01-01", "2023-02-28")),  # year to 29 Feb
    (("2024-02-29", "2024-03-10"), ("2023-02-28", "2023-03-10")),  # from 29 Feb
    (("2025-02-01", "2025-02-28"), ("2024-02-01", "2024-02-29")),  # whole month stays whole
    (("2024-03-10", "2024-03-19"), ("2023-03-10", "2023-03-19")),
])
def test_year_ago(current: tuple[str, str], expected: tuple[str, str]) -> None:
    earlier = year_ago(period(*current))
    assert (earlier.date_from, earlier.date_to) == (D(expected[0]), D(expected[1]))
    assert earlier.reps == ["Bob"]


def test_comparisons_need_a_resolved_ordered_period() -> None:
    with pytest.raises(ValueError):
        year_ago(Filters(date_from=D("2024-03-01")))
    with pytest.raises(ValueError):
        previous_period(period("2024-03-02", "2024-03-01"))
