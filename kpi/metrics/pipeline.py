"""Pipeline KPIs (KPI_SPEC §5.1): win rate, won revenue, deal value, cycle, open pipeline.

A deal counts as closed in the period by its `closed_at`; the open pipeline is
what is still open and was created on or before the period's end.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import duckdb
from pydantic import BaseModel, Field

from kpi.schema import Filters

from ._common import DEALS_D, KpiResult, Scope, as_float, as_int, fetch_dicts, make_scope, ratio

# Closed deals of D (see _common.DEALS_D) by month, rep and channel in one pass.
_CLOSED_SQL = f"""
WITH d AS ({DEALS_D}), c AS (
    SELECT owner, channel, status, amount,
           CAST(date_trunc('month', closed_at) AS DATE) AS month,
           date_diff('day', created_at, closed_at) AS cycle
    FROM d
    WHERE status IN ('won', 'lost') AND closed_at BETWEEN $f AND $t
)
SELECT GROUPING(month) AS g_month, GROUPING(owner) AS g_owner, GROUPING(channel) AS g_channel,
       month, owner, channel,
       count(*) AS closed,
       count(*) FILTER (WHERE status = 'won') AS won,
       count(*) FILTER (WHERE status = 'lost') AS lost,
       sum(amount) FILTER (WHERE status = 'won') AS won_revenue,
       avg(cycle) FILTER (WHERE status = 'won') AS avg_cycle_days,
       median(cycle) FILTER (WHERE status = 'won') AS median_cycle_days
FROM c
GROUP BY GROUPING SETS ((), (month), (owner), (channel))
"""

_OPEN_SQL = f"""
WITH d AS ({DEALS_D})
SELECT GROUPING(owner) AS g_owner, GROUPING(channel) AS g_channel, owner, channel,
       count(*) AS open_deals, sum(amount) AS open_pipeline_value
FROM d
WHERE status = 'open' AND created_at <= $t
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


class PipelineResult(KpiResult):
    """KPI_SPEC §5.1 headline figures, plus series by month, rep and channel."""

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

    filters: Filters
    closed: int
    won: int
    lost: int
    win_rate: float | None
    won_revenue: float
    avg_deal_value: float | None
    avg_cycle_days: float | None
    median_cycle_days: float | None
    open_deals: int
    open_pipeline_value: float
    by_month: list[PipelineMonth] = Field(default_factory=list)
    by_rep: list[PipelineRep] = Field(default_factory=list)
    by_channel: list[PipelineChannel] = Field(default_factory=list)


def _closed_figures(row: dict[str, Any]) -> dict[str, Any]:
    won = as_int(row["won"])
    revenue = as_float(row["won_revenue"])
    return {
        "closed": as_int(row["closed"]),
        "won": won,
        "lost": as_int(row["lost"]),
        "win_rate": ratio(won, as_int(row["closed"])),
        "won_revenue": revenue,
        "avg_deal_value": ratio(revenue, won),
    }


def _open_figures(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "open_deals": as_int(row["open_deals"]),
        "open_pipeline_value": as_float(row["open_pipeline_value"]),
    }


def pipeline_for_scope(con: duckdb.DuckDBPyConnection, scope: Scope) -> PipelineResult:
    """The pipeline of an already resolved scope (the report reuses its scope)."""
    params = scope.params()
    closed_rows = fetch_dicts(con, _CLOSED_SQL, params)
    open_rows = fetch_dicts(con, _OPEN_SQL, params)

    total: dict[str, Any] = {}
    months: list[PipelineMonth] = []
    reps: dict[str, dict[str, Any]] = {}
    channels: dict[str, dict[str, Any]] = {}
    for row in closed_rows:
        if row["g_month"] and row["g_owner"] and row["g_channel"]:
            total = row
        elif not row["g_month"]:
            figures = _closed_figures(row)
            figures.pop("avg_deal_value")
            months.append(PipelineMonth(month=row["month"], **figures))
        elif not row["g_owner"]:
            reps.setdefault(row["owner"], {}).update(_closed_figures(row))
        else:
            channels.setdefault(row["channel"], {}).update(_closed_figures(row))
    open_total: dict[str, Any] = {}
    for row in open_rows:
        if row["g_owner"] and row["g_channel"]:
            open_total = row
        elif not row["g_owner"]:
            reps.setdefault(row["owner"], {}).update(_open_figures(row))
        else:
            channels.setdefault(row["channel"], {}).update(_open_figures(row))

    return PipelineResult(
        filters=scope.filters,
        **_closed_figures(total),
        avg_cycle_days=total["avg_cycle_days"],
        median_cycle_days=total["median_cycle_days"],
        **_open_figures(open_total),
        by_month=sorted(months, key=lambda m: m.month),
        by_rep=[PipelineRep(owner=name, **reps[name]) for name in sorted(reps)],
        by_channel=[PipelineChannel(channel=name, **channels[name]) for name in sorted(channels)],
    )


def compute_pipeline(con: duckdb.DuckDBPyConnection, filters: Filters) -> PipelineResult:
    """Win rate, won revenue, average deal value, sales cycle and open pipeline."""
    return pipeline_for_scope(con, make_scope(con, filters))
