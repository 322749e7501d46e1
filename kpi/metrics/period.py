"""The period every KPI is computed over: the default span, the presets, the comparisons.

Presets ("this quarter"...) count back from today, or from the data's last day
when the data end before today (anchor_day). Comparisons keep the calendar
shape: previous_period (the Overview's deltas) and year_ago (year on year).

By default (docs/kpis/period.md) the period is "the whole span of the loaded data". We take
the earliest and latest date found in any date column of any canonical table, so
that no uploaded row falls outside the default view. Month columns
(compensation.month, channel_costs.month) stand for their whole month: they
count from the first to the last day of that month, so the last month's package
or spend is not cut to a single day.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from kpi.catalog import data_span
from kpi.engine import Engine
from kpi.schema import Filters


def resolve_period(
    con: Engine,
    filters: Filters,
    span: tuple[date | None, date | None] | None = None,
) -> Filters:
    """The filters with a missing `date_from`/`date_to` replaced by the data's edge.

    A bound the user set is kept as is. On an empty workspace the missing bound
    stays None (the KPIs are then computed over every date, i.e. over nothing).
    """
    if filters.date_from is not None and filters.date_to is not None:
        return filters  # already dates (the sidebar resolves presets): no scan
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


def _last_of(index: int) -> date:
    first = _first_of(index)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


# --- presets ----------------------------------------------------------------------

PRESETS: tuple[str, ...] = (
    "all", "this_month", "last_month", "this_quarter", "last_quarter", "year_to_date",
    "last_12_months", "custom",
)


def anchor_day(today: date, latest: date | None) -> date:
    """The day presets count back from: today, or the data's last day when the data end earlier.

    An export from October read in December would otherwise show an empty
    "This month"; on old data (a 2017 sample) every preset would be empty.
    """
    return latest if latest is not None and latest < today else today


def preset_period(preset: str, day: date) -> tuple[date | None, date | None]:
    """The [from, to] of a preset counted back from `day` (anchor_day); (None, None) otherwise."""
    month_start = day.replace(day=1)
    if preset == "this_month":
        return month_start, day
    if preset == "last_month":
        end = month_start - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return _quarter_start(day), day
    if preset == "last_quarter":
        end = _quarter_start(day) - timedelta(days=1)
        return _quarter_start(end), end
    if preset == "year_to_date":
        return date(day.year, 1, 1), day
    if preset == "last_12_months":  # this month and the 11 before it
        return _first_of(_month_index(day) - 11), day
    return None, None


# --- comparisons ------------------------------------------------------------------


def _shift(day: date, months: int) -> date:
    """`day` moved by whole months: a month's last day stays a last day (31 Mar -> 28 Feb)."""
    index = _month_index(day) + months
    last = _last_of(index)
    if day == _last_of(_month_index(day)):
        return last
    return last.replace(day=min(day.day, last.day))


def _months_back(start: date, end: date) -> int | None:
    """How many months earlier the comparison lies, for a period that starts on a 1st.

    A month, quarter or year so far (whole or partial) looks back one month,
    quarter or year, the smallest unit first (a whole quarter compares with
    the quarter before); other periods by the months they span (12 for the
    last 12 months). None for a period starting on another day.
    """
    if start.day != 1:
        return None
    if (start.year, start.month) == (end.year, end.month):
        return 1
    if start == _quarter_start(start) == _quarter_start(end):
        return 3
    if (start.month, start.year) == (1, end.year):
        return 12
    return _month_index(end) - _month_index(start) + 1


def _checked(filters: Filters) -> tuple[date, date]:
    if filters.date_from is None or filters.date_to is None:
        raise ValueError("a comparison needs a resolved period (call resolve_period first)")
    if filters.date_from > filters.date_to:
        raise ValueError("a comparison needs date_from <= date_to")
    return filters.date_from, filters.date_to


def _moved(filters: Filters, months: int) -> Filters:
    start, end = _checked(filters)
    return filters.model_copy(update={"date_from": _shift(start, months),
                                      "date_to": _shift(end, months)})


def previous_period(filters: Filters) -> Filters:
    """The period of the same calendar shape just before, for the Overview's deltas.

    A period starting on a 1st moves back by whole months (_months_back), its
    end to the same day (1 Oct-3 Dec -> 1 Jul-3 Sep; 1 Jan-3 Dec -> 1 Jan-3 Dec
    of last year; March -> February), which is what a manager compares. Any
    other period maps to the same number of days ending the day before it
    starts. Reps, channels and options are kept. The period must be resolved
    first (resolve_period); a missing bound or an inverted period raises ValueError.
    """
    start, end = _checked(filters)
    months = _months_back(start, end)
    if months is not None:
        return _moved(filters, -months)
    days = (end - start).days + 1
    return filters.model_copy(update={"date_from": start - timedelta(days=days),
                                      "date_to": start - timedelta(days=1)})


def year_ago(filters: Filters) -> Filters:
    """The same period a year earlier (year on year); 29 Feb maps to 28 Feb."""
    return _moved(filters, -12)
