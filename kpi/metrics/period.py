"""The period every KPI is computed over: the default span and the period just before.

By default (KPI_SPEC §4) the period is "the whole span of the loaded data". We take
the earliest and latest date found in any date column of any canonical table, so
that no uploaded row falls outside the default view. Month columns
(compensation.month, channel_costs.month) stand for their whole month: they
count from the first to the last day of that month, so the last month's package
or spend is not cut to a single day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import duckdb

from kpi.schema import Filters

_SPAN_SQL = """
SELECT min(lo) AS lo, max(hi) AS hi FROM (
    SELECT min("created_at") AS lo, max("created_at") AS hi FROM "deals"
    UNION ALL SELECT min("closed_at"), max("closed_at") FROM "deals"
    UNION ALL SELECT min("proposal_sent_at"), max("proposal_sent_at") FROM "deals"
    UNION ALL SELECT min("created_at"), max("created_at") FROM "leads"
    UNION ALL SELECT min("converted_at"), max("converted_at") FROM "leads"
    UNION ALL SELECT min("sent_at"), max("sent_at") FROM "proposals"
    UNION ALL SELECT min("date"), max("date") FROM "content"
    UNION ALL SELECT CAST(date_trunc('month', min("month")) AS DATE), last_day(max("month"))
        FROM "compensation"
    UNION ALL SELECT CAST(date_trunc('month', min("month")) AS DATE), last_day(max("month"))
        FROM "channel_costs"
)
"""


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[date | None, date | None]:
    """Earliest and latest date of the loaded data, (None, None) for an empty workspace."""
    row = con.execute(_SPAN_SQL).fetchone()
    if row is None:
        return None, None
    return row[0], row[1]


def resolve_period(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    span: tuple[date | None, date | None] | None = None,
) -> Filters:
    """The filters with a missing `date_from`/`date_to` replaced by the data's edge.

    A bound the user set is kept as is. On an empty workspace the missing bound
    stays None (the KPIs are then computed over every date, i.e. over nothing).
    """
    lo, hi = span if span is not None else data_span(con)
    return filters.model_copy(
        update={
            "date_from": filters.date_from if filters.date_from is not None else lo,
            "date_to": filters.date_to if filters.date_to is not None else hi,
        }
    )


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _first_of(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def is_whole_months(date_from: date, date_to: date) -> bool:
    """True when the period starts on a 1st and ends on a month's last day."""
    last = calendar.monthrange(date_to.year, date_to.month)[1]
    return date_from.day == 1 and date_to.day == last and date_from <= date_to


def previous_period(filters: Filters) -> Filters:
    """The period of equal length just before, for the Overview's deltas.

    Whole calendar months map to the same number of whole months before (March
    -> February, Q2 -> Q1), which is what a manager compares; any other period
    maps to the same number of days ending the day before it starts. Reps,
    channels and options are kept. The period must be resolved first
    (resolve_period); a missing bound or an inverted period raises ValueError.
    """
    if filters.date_from is None or filters.date_to is None:
        raise ValueError("previous_period needs a resolved period (call resolve_period first)")
    start, end = filters.date_from, filters.date_to
    if start > end:
        raise ValueError("previous_period needs date_from <= date_to")
    if is_whole_months(start, end):
        months = _month_index(end) - _month_index(start) + 1
        new_start = _first_of(_month_index(start) - months)
    else:
        days = (end - start).days + 1
        new_start = start - timedelta(days=days)
    return filters.model_copy(update={"date_from": new_start, "date_to": start - timedelta(days=1)})
