"""Proposal KPIs and forecast (KPI_SPEC §5.3).

Rows are the proposals table when it has rows, else the deals with a
`proposal_sent_at`; a row is in the period by its sent date. The forecast of the
pending proposals is their amount times the conversion rate; the month it is
expected in is the sent month shifted by the typical decision time (see
`DEFAULT_DECISION_DAYS` and docs/kpis.md#proposals-and-forecast).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any, ClassVar, Literal

import duckdb
from pydantic import BaseModel, Field

from kpi.schema import Filters

from ._common import KpiResult, as_float, as_int, fetch_dicts, make_scope, ratio

# Used for the forecast month when no decided proposal has a known decision date.
DEFAULT_DECISION_DAYS = 30

_PROPOSAL_ROWS_SQL = 'SELECT count(*) AS n FROM "proposals"'

# The selected rows `p`: proposals (channel and decision date from the linked
# deal) or, when there is no proposals table, deals with a proposal_sent_at.
# Repeated in _FORECAST_SQL rather than concatenated, so the SQL text stays static.
_SUMMARY_SQL = """
WITH dd AS (
    SELECT "deal_id" AS deal_id, min(coalesce("channel", 'unknown')) AS channel,
           min("closed_at") AS closed_at
    FROM "deals" WHERE "deal_id" IS NOT NULL GROUP BY "deal_id"
), rows_ AS (
    SELECT coalesce(p."owner", 'Unassigned') AS owner, coalesce(dd.channel, 'unknown') AS channel,
           p."sent_at" AS sent_at, coalesce(p."amount", 0) AS amount,
           CASE WHEN p."status" IN ('won', 'lost') THEN p."status" ELSE 'open' END AS status,
           dd.closed_at AS decided_at
    FROM "proposals" AS p LEFT JOIN dd ON dd.deal_id = p."deal_id"
    WHERE $use_table
    UNION ALL
    SELECT coalesce("owner", 'Unassigned'), coalesce("channel", 'unknown'), "proposal_sent_at",
           coalesce("amount", 0),
           CASE WHEN "status" IN ('won', 'lost') THEN "status" ELSE 'open' END, "closed_at"
    FROM "deals"
    WHERE NOT $use_table AND "proposal_sent_at" IS NOT NULL
), p AS (
    SELECT *, CAST(date_trunc('month', sent_at) AS DATE) AS month FROM rows_
    WHERE sent_at BETWEEN $f AND $t
      AND (len($reps::VARCHAR[]) = 0 OR list_contains($reps::VARCHAR[], owner))
      AND (len($channels::VARCHAR[]) = 0 OR list_contains($channels::VARCHAR[], channel))
)
SELECT GROUPING(month) AS g_month, GROUPING(owner) AS g_owner, GROUPING(channel) AS g_channel,
       month, owner, channel,
       count(*) AS sent,
       count(*) FILTER (WHERE status = 'won') AS won,
       count(*) FILTER (WHERE status = 'lost') AS lost,
       count(*) FILTER (WHERE status = 'open') AS pending,
       sum(amount) FILTER (WHERE status = 'open') AS pending_value,
       median(date_diff('day', sent_at, decided_at))
           FILTER (WHERE status IN ('won', 'lost') AND decided_at >= sent_at) AS decision_days
FROM p
GROUP BY GROUPING SETS ((), (month), (owner), (channel))
"""

_FORECAST_SQL = """
WITH dd AS (
    SELECT "deal_id" AS deal_id, min(coalesce("channel", 'unknown')) AS channel
    FROM "deals" WHERE "deal_id" IS NOT NULL GROUP BY "deal_id"
), rows_ AS (
    SELECT coalesce(p."owner", 'Unassigned') AS owner, coalesce(dd.channel, 'unknown') AS channel,
           p."sent_at" AS sent_at, coalesce(p."amount", 0) AS amount,
           CASE WHEN p."status" IN ('won', 'lost') THEN p."status" ELSE 'open' END AS status
    FROM "proposals" AS p LEFT JOIN dd ON dd.deal_id = p."deal_id"
    WHERE $use_table
    UNION ALL
    SELECT coalesce("owner", 'Unassigned'), coalesce("channel", 'unknown'), "proposal_sent_at",
           coalesce("amount", 0),
           CASE WHEN "status" IN ('won', 'lost') THEN "status" ELSE 'open' END
    FROM "deals"
    WHERE NOT $use_table AND "proposal_sent_at" IS NOT NULL
)
SELECT CAST(date_trunc('month', sent_at + CAST($days AS INTEGER)) AS DATE) AS month,
       count(*) AS pending, sum(amount) AS pending_value
FROM rows_
WHERE status = 'open' AND sent_at BETWEEN $f AND $t
  AND (len($reps::VARCHAR[]) = 0 OR list_contains($reps::VARCHAR[], owner))
  AND (len($channels::VARCHAR[]) = 0 OR list_contains($channels::VARCHAR[], channel))
GROUP BY 1
ORDER BY 1
"""


class ProposalGroup(BaseModel):
    sent: int
    won: int
    lost: int
    pending: int
    conversion_rate: float | None
    pending_value: float


class ProposalMonth(ProposalGroup):
    """Month of the sent date (first day)."""

    month: date


class ProposalRep(ProposalGroup):
    owner: str


class ProposalChannel(ProposalGroup):
    channel: str


class ForecastMonth(BaseModel):
    """Pending proposals expected to be decided in `month`, and their weighted value."""

    month: date
    pending: int
    pending_value: float
    forecast_revenue: float | None


class ProposalsResult(KpiResult):
    """KPI_SPEC §5.3 figures, plus series by sent month, rep, channel and expected month."""

    FIGURES: ClassVar[tuple[str, ...]] = (
        "sent",
        "won",
        "lost",
        "pending",
        "conversion_rate",
        "forecast_revenue",
    )

    filters: Filters
    source: Literal["proposals", "deals"]
    sent: int
    won: int
    lost: int
    pending: int
    conversion_rate: float | None
    pending_value: float
    forecast_revenue: float | None
    decision_days: int
    decision_days_source: Literal["median", "default"]
    by_month: list[ProposalMonth] = Field(default_factory=list)
    by_rep: list[ProposalRep] = Field(default_factory=list)
    by_channel: list[ProposalChannel] = Field(default_factory=list)
    forecast: list[ForecastMonth] = Field(default_factory=list)


def _group(row: dict[str, Any]) -> dict[str, Any]:
    won, lost = as_int(row["won"]), as_int(row["lost"])
    return {
        "sent": as_int(row["sent"]),
        "won": won,
        "lost": lost,
        "pending": as_int(row["pending"]),
        "conversion_rate": ratio(won, won + lost),
        "pending_value": as_float(row["pending_value"]),
    }


def _times(value: float, rate: float | None) -> float | None:
    return None if rate is None else value * rate


def compute_proposals(con: duckdb.DuckDBPyConnection, filters: Filters) -> ProposalsResult:
    """Proposals sent, won, lost, pending, conversion rate and the pending forecast."""
    scope = make_scope(con, filters)
    count_row = con.execute(_PROPOSAL_ROWS_SQL).fetchone()
    use_table = bool(count_row and count_row[0])
    params = scope.params(use_table=use_table)
    rows = fetch_dicts(con, _SUMMARY_SQL, params)

    total: dict[str, Any] = {}
    months: list[ProposalMonth] = []
    reps: list[ProposalRep] = []
    channels: list[ProposalChannel] = []
    for row in rows:
        if row["g_month"] and row["g_owner"] and row["g_channel"]:
            total = row
        elif not row["g_month"]:
            months.append(ProposalMonth(month=row["month"], **_group(row)))
        elif not row["g_owner"]:
            reps.append(ProposalRep(owner=row["owner"], **_group(row)))
        else:
            channels.append(ProposalChannel(channel=row["channel"], **_group(row)))

    figures = _group(total)
    median_days = total.get("decision_days")
    if median_days is None:
        days, days_source = DEFAULT_DECISION_DAYS, "default"
    else:
        # Nearest whole day, halves up (Python's round() would round 2.5 to 2).
        days, days_source = math.floor(float(median_days) + 0.5), "median"
    rate = figures["conversion_rate"]
    forecast_rows = fetch_dicts(con, _FORECAST_SQL, {**params, "days": days})
    return ProposalsResult(
        filters=scope.filters,
        source="proposals" if use_table else "deals",
        **figures,
        forecast_revenue=_times(figures["pending_value"], rate),
        decision_days=days,
        decision_days_source=days_source,
        by_month=sorted(months, key=lambda m: m.month),
        by_rep=sorted(reps, key=lambda r: r.owner),
        by_channel=sorted(channels, key=lambda c: c.channel),
        forecast=[
            ForecastMonth(
                month=row["month"],
                pending=as_int(row["pending"]),
                pending_value=as_float(row["pending_value"]),
                forecast_revenue=_times(as_float(row["pending_value"]), rate),
            )
            for row in forecast_rows
        ],
    )
