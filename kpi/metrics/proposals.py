"""Proposal KPIs and forecast (KPI_SPEC §5.3).

Rows are the proposals table when it has rows, else the deals with a
`proposal_sent_at`; a row is in the period by its sent date. The forecast of the
pending proposals is their amount times the conversion rate; the month it is
expected in is the sent month shifted by the typical decision time (see
`DEFAULT_DECISION_DAYS` and docs/kpis.md#proposals-and-forecast).
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any, ClassVar, Literal

import duckdb
from pydantic import BaseModel, Field

from kpi.schema import Filters

from ._common import (
    IS_OPEN,
    KpiResult,
    as_float,
    as_int,
    fetch_dicts,
    make_scope,
    median_of_counts,
    month_of,
    ratio,
)

# Used for the forecast month when no decided proposal has a known decision date.
DEFAULT_DECISION_DAYS = 30

_PROPOSAL_ROWS_SQL = 'SELECT count(*) AS n FROM "proposals"'

# The selected rows: proposals (channel and decision date from the linked
# deal: deal ids are unique in a workspace, the importer rejects duplicates)
# or, when there is no proposals table, deals with a proposal_sent_at.
# Two texts chosen in Python (not one with both branches behind a parameter,
# which plans and runs the proposals branch's aggregate over every deal).
# `status` is the column as stored (VARCHAR or ENUM; anything but won/lost is open).
_ROWS = {
    "proposals": """
    SELECT coalesce(p."owner", 'Unassigned') AS owner,
           coalesce(dd."channel", 'unknown') AS channel,
           p."sent_at" AS sent_at, coalesce(p."amount", 0) AS amount, p."status" AS status,
           dd."closed_at" AS decided_at
    FROM "proposals" AS p
    LEFT JOIN "deals" AS dd ON dd."deal_id" = p."deal_id"
    WHERE p."sent_at" BETWEEN $f AND $t""",
    "deals": """
    SELECT coalesce("owner", 'Unassigned') AS owner, "channel" AS channel,
           "proposal_sent_at" AS sent_at, coalesce("amount", 0) AS amount, "status" AS status,
           "closed_at" AS decided_at
    FROM "deals"
    WHERE "proposal_sent_at" BETWEEN $f AND $t""",
}

_SELECTED = """
    SELECT * FROM rows_
    WHERE (len($reps::VARCHAR[]) = 0 OR list_contains($reps::VARCHAR[], owner))
      AND (len($channels::VARCHAR[]) = 0 OR list_contains($channels::VARCHAR[], channel))"""

# Everything in one pass over the selected rows: one aggregate (materialised,
# it is small) to (month, rep, channel) cells, to days-to-decision of the
# decided rows and to the pending rows' sent day; then the summary's grouping
# sets over the cells, the days histogram (for the median) and the pending days
# (shifted by the decision time into forecast months in Python).
_SQL = {source: f"""
WITH rows_ AS ({rows}), p AS ({_SELECTED}), base AS MATERIALIZED (
    SELECT GROUPING(month) AS g_cell, GROUPING(days) AS g_days, month, owner, channel, days,
           sent_at,
           count(*) AS sent,
           count(*) FILTER (WHERE status = 'won') AS won,
           count(*) FILTER (WHERE status = 'lost') AS lost,
           count(*) FILTER (WHERE {IS_OPEN}) AS pending,
           sum(amount) FILTER (WHERE {IS_OPEN}) AS pending_value
    FROM (SELECT *, {month_of("sent_at")} AS month,
                 CASE WHEN status IN ('won', 'lost') AND decided_at >= sent_at
                      THEN date_diff('day', sent_at, decided_at) END AS days
          FROM p)
    GROUP BY GROUPING SETS ((month, owner, channel), (days), (sent_at))
)
SELECT 'summary' AS part, GROUPING(month) AS g_month, GROUPING(owner) AS g_owner,
       GROUPING(channel) AS g_channel, month, owner, channel, sum(sent) AS sent,
       sum(won) AS won, sum(lost) AS lost, sum(pending) AS pending,
       sum(pending_value) AS pending_value
FROM base WHERE g_cell = 0
GROUP BY GROUPING SETS ((), (month), (owner), (channel))
UNION ALL BY NAME
SELECT 'days' AS part, days, sent FROM base WHERE g_days = 0 AND days IS NOT NULL
UNION ALL BY NAME
SELECT 'pending' AS part, sent_at, pending, pending_value
FROM base WHERE g_cell = 1 AND g_days = 1 AND pending > 0
""" for source, rows in _ROWS.items()}


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


class ProposalsResult(ProposalGroup, KpiResult):
    """KPI_SPEC §5.3 figures (the team's ProposalGroup and the forecast), plus series by
    sent month, rep, channel and expected month."""

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
    source = "proposals" if count_row and count_row[0] else "deals"
    parts: dict[str, list[dict[str, Any]]] = {"summary": [], "days": [], "pending": []}
    for row in fetch_dicts(con, _SQL[source], scope.params()):
        parts[row["part"]].append(row)

    total: dict[str, Any] = {}
    months: list[ProposalMonth] = []
    reps: list[ProposalRep] = []
    channels: list[ProposalChannel] = []
    for row in parts["summary"]:
        if row["g_month"] and row["g_owner"] and row["g_channel"]:
            total = row
        elif not row["g_month"]:
            months.append(ProposalMonth(month=row["month"], **_group(row)))
        elif not row["g_owner"]:
            reps.append(ProposalRep(owner=row["owner"], **_group(row)))
        else:
            channels.append(ProposalChannel(channel=row["channel"], **_group(row)))

    figures = _group(total)
    median_days = median_of_counts({row["days"]: row["sent"] for row in parts["days"]})
    if median_days is None:
        days, days_source = DEFAULT_DECISION_DAYS, "default"
    else:
        # Nearest whole day, halves up (Python's round() would round 2.5 to 2).
        days, days_source = math.floor(float(median_days) + 0.5), "median"
    rate = figures["conversion_rate"]
    expected: dict[date, list[float]] = {}  # month -> [pending, pending value]
    for row in parts["pending"]:
        month = (row["sent_at"] + timedelta(days=days)).replace(day=1)
        sums = expected.setdefault(month, [0, 0.0])
        sums[0] += as_int(row["pending"])
        sums[1] += as_float(row["pending_value"])
    return ProposalsResult(
        filters=scope.filters,
        source=source,
        **figures,
        forecast_revenue=_times(figures["pending_value"], rate),
        decision_days=days,
        decision_days_source=days_source,
        by_month=sorted(months, key=lambda m: m.month),
        by_rep=sorted(reps, key=lambda r: r.owner),
        by_channel=sorted(channels, key=lambda c: c.channel),
        forecast=[
            ForecastMonth(month=month, pending=int(count), pending_value=value,
                          forecast_revenue=_times(value, rate))
            for month, (count, value) in sorted(expected.items())
        ],
    )
