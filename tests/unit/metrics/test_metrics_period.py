"""Default period (whole span of the loaded data) and the previous period for deltas."""

from __future__ import annotations

from datetime import date

import pytest

from kpi.metrics import data_span, previous_period, resolve_period
from kpi.schema import Filters

D = date.fromisoformat


def test_empty_workspace_has_no_span_and_keeps_open_bounds(workspace) -> None:
    con = workspace()
    assert data_span(con) == (None, None)
    resolved = resolve_period(con, Filters())
    assert (resolved.date_from, resolved.date_to) == (None, None)


@pytest.mark.parametrize(
    ("table", "row", "expected"),
    [
        ("deals", {"created_at": "2024-02-10"}, ("2024-02-10", "2024-02-10")),
        (
            "deals",
            {"created_at": "2024-02-10", "closed_at": "2024-03-05"},
            ("2024-02-10", "2024-03-05"),
        ),
        (
            "deals",
            {"created_at": "2024-02-10", "proposal_sent_at": "2024-06-01"},
            ("2024-02-10", "2024-06-01"),
        ),
        (
            "leads",
            {"created_at": "2024-01-02", "converted_at": "2024-04-02"},
            ("2024-01-02", "2024-04-02"),
        ),
        ("proposals", {"sent_at": "2023-07-20"}, ("2023-07-20", "2023-07-20")),
        ("content", {"date": "2023-12-30"}, ("2023-12-30", "2023-12-30")),
        # A month stands for the whole month: first day to last day (leap February).
        ("compensation", {"month": "2024-02-01", "package": 1.0}, ("2024-02-01", "2024-02-29")),
        ("channel_costs", {"month": "2023-11-01", "spend": 1.0}, ("2023-11-01", "2023-11-30")),
    ],
)
def test_every_date_column_of_every_table_counts(workspace, table, row, expected) -> None:
    con = workspace(**{table: [row]})
    assert data_span(con) == (D(expected[0]), D(expected[1]))


def test_span_is_min_and_max_over_all_tables(workspace) -> None:
    con = workspace(
        deals=[{"created_at": "2024-02-10", "closed_at": "2024-03-05"}],
        content=[{"date": "2023-12-30"}],
        compensation=[{"month": "2024-05-01", "package": 1.0}],
        # An annual package has no month: it does not move the span.
        channel_costs=[{"month": "2024-01-01", "spend": 3.0}],
    )
    # min = content 2023-12-30, max = end of the May 2024 compensation month.
    assert data_span(con) == (D("2023-12-30"), D("2024-05-31"))


def test_user_bounds_are_kept_and_missing_ones_filled(workspace) -> None:
    con = workspace(deals=[{"created_at": "2024-01-05", "closed_at": "2024-04-20"}])
    resolved = resolve_period(con, Filters(date_from=D("2024-03-01"), reps=["Ann"]))
    assert (resolved.date_from, resolved.date_to) == (D("2024-03-01"), D("2024-04-20"))
    assert resolved.reps == ["Ann"]
    resolved = resolve_period(con, Filters(date_to=D("2024-02-01")))
    assert (resolved.date_from, resolved.date_to) == (D("2024-01-05"), D("2024-02-01"))


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        # 10 days (10th..19th) -> the 10 days before: Feb 29 (leap year) .. Mar 9.
        (("2024-03-10", "2024-03-19"), ("2024-02-29", "2024-03-09")),
        # the 1st only (month to date on its first day) -> the previous month's 1st
        (("2024-03-01", "2024-03-01"), ("2024-02-01", "2024-02-01")),
        # whole month -> whole previous month, even when lengths differ (31 vs 29 days)
        (("2024-03-01", "2024-03-31"), ("2024-02-01", "2024-02-29")),
        (("2024-01-01", "2024-01-31"), ("2023-12-01", "2023-12-31")),
        # whole quarter -> previous quarter; whole year -> previous year
        (("2024-04-01", "2024-06-30"), ("2024-01-01", "2024-03-31")),
        (("2024-01-01", "2024-12-31"), ("2023-01-01", "2023-12-31")),
        # month to date (1st..15th) -> the previous month to the same day
        (("2024-03-01", "2024-03-15"), ("2024-02-01", "2024-02-15")),
    ],
)
def test_previous_period(period, expected) -> None:
    filters = Filters(
        date_from=D(period[0]), date_to=D(period[1]), reps=["Bob"], channels=["event"]
    )
    previous = previous_period(filters)
    assert (previous.date_from, previous.date_to) == (D(expected[0]), D(expected[1]))
    assert previous.reps == ["Bob"] and previous.channels == ["event"]


def test_previous_period_needs_a_resolved_and_ordered_period() -> None:
    with pytest.raises(ValueError):
        previous_period(Filters(date_from=D("2024-03-01")))
    with pytest.raises(ValueError):
        previous_period(Filters(date_from=D("2024-03-02"), date_to=D("2024-03-01")))
