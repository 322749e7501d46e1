"""Pipeline KPIs (docs/kpis/pipeline.md): win rate, won revenue, deal value, cycle, open pipeline.

A deal counts as closed in the period by its `closed_at`; the open pipeline is
what is still open and was created on or before the period's end.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import (
    KpiResult,
    Scope,
    as_float,
    as_int,
    fetch_dicts,
    make_scope,
    median_of_counts,
)
from .period import previous_period

# Closed deals of D for the period [$f, $t] (period 0) and, when the Overview
# compares, the one before it [$pf, $pt] (period 1; an empty range otherwise).
# The two need not touch: month to date compares 1-15 April with 1-15 March. One
# aggregate to (period, month, rep, channel) cells, then the grouping sets over
# those few cells: cheaper than grouping sets over every deal. Cycle sums and
# counts (not averages) keep the totals exact.
_IN_EITHER_PERIOD = f"({m.in_period('closed_at')} OR closed_at BETWEEN $pf AND $pt)"
_PERIOD = "CASE WHEN closed_at >= $f THEN 0 ELSE 1 END AS period"
_CLOSED_MEASURES = (m.CLOSED_DEALS, m.WON_DEALS, m.WON_REVENUE, m.CYCLE_SUM, m.CYCLE_COUNT)

_CLOSED_SQL = f"""
WITH d AS ({m.DEALS_D}), cells AS (
    SELECT {_PERIOD}, owner, channel, {m.month("closed_at").select()},
           {m.selects(_CLOSED_MEASURES, given=(m.CLOSED,))}
    FROM d
    WHERE {m.CLOSED} AND {_IN_EITHER_PERIOD}
    GROUP BY ALL
)
SELECT GROUPING(month) AS g_month, GROUPING(owner) AS g_owner, GROUPING(channel) AS g_channel,
       period, month, owner, channel, {m.rollups(_CLOSED_MEASURES)}
FROM cells
GROUP BY GROUPING SETS ((period), (period, month), (period, owner), (period, channel))
"""

# How many won deals took each number of days, per period: the median cycle
# comes from this histogram (a median aggregate over every deal costs more).
_CYCLES_SQL = f"""
WITH d AS ({m.DEALS_D})
SELECT {_PERIOD}, {m.CYCLE_DAYS} AS cycle, count(*) AS deals
FROM d
WHERE {m.where(*m.IN_CYCLE)} AND {_IN_EITHER_PERIOD}
GROUP BY ALL
"""

_OPEN_MEASURES = (m.OPEN_DEALS, m.OPEN_PIPELINE_VALUE)
_OPEN_SQL = f"""
WITH d AS ({m.DEALS_D})
SELECT GROUPING(owner) AS g_owner, GROUPING(channel) AS g_channel, owner, channel,
       {m.selects(_OPEN_MEASURES, given=m.OPEN_AT_END)}
FROM d
WHERE {m.where(*m.OPEN_AT_END)}
GROUP BY GROUPING SETS ((), (owner), (channel))
"""


class PipelineMonth(BaseModel):
    """Deals closed in one calendar month (month of closed_at, first day)."""

    month: date
    closed: int
    won: int
    lost: int
    win_rate: float | None
    won_revenue: float


class PipelineGroup(BaseModel):
    """Closed and open figures of one rep or one channel."""

    closed: int = 0
    won: int = 0
    lost: int = 0
    win_rate: float | None = None
    won_revenue: float = 0.0
    avg_deal_value: float | None = None
    open_deals: int = 0
    open_pipeline_value: float = 0.0


class PipelineRep(PipelineGroup):
    owner: str


class PipelineChannel(PipelineGroup):
    channel: str


class PeriodFigures(BaseModel):
    """The deals closed in one period: what the Overview compares with the period before."""

    filters: Filters
    closed: int
    won: int
    lost: int
    win_rate: float | None
    won_revenue: float
    avg_deal_value: float | None
    avg_cycle_days: float | None
    median_cycle_days: float | None


class PipelineResult(PeriodFigures, KpiResult):
    """docs/kpis/pipeline.md headline figures, plus series by month, rep and channel.

    `previous` holds the closed figures of the period just before
    (period.previous_period) when asked for with `with_previous`.
    """

    FIGURES: ClassVar[tuple[str, ...]] = (
        "closed",
        "won",
        "lost",
        "win_rate",
        "won_revenue",
        "avg_deal_value",
        "avg_cycle_days",
        "median_cycle_days",
        "open_deals",
        "open_pipeline_value",
    )

    open_deals: int
    open_pipeline_value: float
    by_month: list[PipelineMonth] = Field(default_factory=list)
    by_rep: list[PipelineRep] = Field(default_factory=list)
    by_channel: list[PipelineChannel] = Field(default_factory=list)
    previous: PeriodFigures | None = None


def _closed_figures(row: dict[str, Any]) -> dict[str, Any]:
    values = {"closed": as_int(row.get("closed")), "won": as_int(row.get("won")),
              "won_revenue": as_float(row.get("won_revenue"))}
    return {
        **values,
        "lost": values["closed"] - values["won"],
        "win_rate": m.WIN_RATE.of(values),
        "avg_deal_value": m.AVG_DEAL_VALUE.of(values),
    }


def _open_figures(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "open_deals": as_int(row.get("open_deals")),
        "open_pipeline_value": as_float(row.get("open_pipeline_value")),
    }


def _period_figures(filters: Filters, row: dict[str, Any], cycles: dict[int, int]
                    ) -> PeriodFigures:
    cycle = {"cycle_sum": as_int(row.get("cycle_sum")),
             "cycle_count": as_int(row.get("cycle_count"))}
    return PeriodFigures(filters=filters, **_closed_figures(row),
                         avg_cycle_days=m.AVG_CYCLE_DAYS.of(cycle),
                         median_cycle_days=median_of_counts(cycles))


def pipeline_for_scope(con: Engine, scope: Scope,
                       with_previous: bool = False) -> PipelineResult:
    """The pipeline of an already resolved scope (the report reuses its scope)."""
    before: Filters | None = None
    if with_previous and scope.filters.date_from is not None:
        try:
            before = previous_period(scope.filters)
        except (ValueError, OverflowError):  # inverted, or before year 1: none before
            before = None
    params = scope.params(pf=before.date_from if before else None,
                          pt=before.date_to if before else None)
    closed_rows = fetch_dicts(con, _CLOSED_SQL, params)
    open_rows = fetch_dicts(con, _OPEN_SQL, params)

    totals: dict[int, dict[str, Any]] = {0: {}, 1: {}}
    cycles: dict[int, dict[int, int]] = {0: {}, 1: {}}
    for row in fetch_dicts(con, _CYCLES_SQL, params):
        cycles[row["period"]][row["cycle"]] = row["deals"]
    months: list[PipelineMonth] = []
    reps: dict[str, dict[str, Any]] = {}
    channels: dict[str, dict[str, Any]] = {}
    for row in closed_rows:
        if row["g_month"] and row["g_owner"] and row["g_channel"]:
            totals[row["period"]] = row
        elif row["period"]:  # the period before: only its headline is kept
            continue
        elif not row["g_month"]:
            figures = _closed_figures(row)
            figures.pop("avg_deal_value")
            months.append(PipelineMonth(month=row["month"], **figures))
        elif not row["g_owner"]:
            reps[row["owner"]] = _closed_figures(row)
        else:
            channels[row["channel"]] = _closed_figures(row)
    open_total: dict[str, Any] = {}
    for row in open_rows:
        if row["g_owner"] and row["g_channel"]:
            open_total = row
        elif not row["g_owner"]:
            reps.setdefault(row["owner"], {}).update(_open_figures(row))
        else:
            channels.setdefault(row["channel"], {}).update(_open_figures(row))

    now = _period_figures(scope.filters, totals[0], cycles[0])
    return PipelineResult(
        **dict(now),
        **_open_figures(open_total),
        by_month=sorted(months, key=lambda month: month.month),
        by_rep=[PipelineRep(owner=name, **reps[name]) for name in sorted(reps)],
        by_channel=[PipelineChannel(channel=name, **channels[name]) for name in sorted(channels)],
        previous=None if before is None else _period_figures(before, totals[1], cycles[1]),
    )


def compute_pipeline(con: Engine, filters: Filters,
                     with_previous: bool = False) -> PipelineResult:
    """Win rate, won revenue, average deal value, sales cycle and open pipeline.

    `with_previous` also computes the closed figures of the period just before
    (the Overview's deltas) in the same query.
    """
    return pipeline_for_scope(con, make_scope(con, filters), with_previous)


# The deals behind the closed figures (same selection as _CLOSED_SQL's period 0),
# largest first: the rows a page lists when a channel or a rep is picked, one
# page at a time (on a warehouse, only that page travels), and their count.
_CLOSED_DEALS = m.deals(*m.D_FILTERS, *m.CLOSED_IN_PERIOD, f"($won_only = false OR {m.WON})")
_CLOSED_DEALS_SQL = f"""
SELECT deal_id, deal_name, owner, channel, status, amount, created_at, closed_at
FROM ({_CLOSED_DEALS})
ORDER BY amount DESC, closed_at DESC, deal_id
LIMIT $limit OFFSET $offset
"""
_CLOSED_COUNT_SQL = f"SELECT count(*) AS deals FROM ({_CLOSED_DEALS})"


def closed_deals(con: Engine, filters: Filters, *, won_only: bool = False,
                 limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    """The deals closed (or only won) in the period, largest first: at most `limit`,
    after the first `offset`."""
    scope = make_scope(con, filters)
    return fetch_dicts(con, _CLOSED_DEALS_SQL,
                       scope.params(won_only=won_only, limit=limit, offset=offset))


def count_closed_deals(con: Engine, filters: Filters, *, won_only: bool = False) -> int:
    """How many deals `closed_deals` pages through."""
    scope = make_scope(con, filters)
    return as_int(fetch_dicts(con, _CLOSED_COUNT_SQL,
                              scope.params(won_only=won_only))[0]["deals"])
