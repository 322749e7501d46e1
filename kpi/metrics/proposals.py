"""Proposal KPIs and forecast (docs/kpis/proposals-and-forecast.md).

Rows are the proposals table when it has rows, else the deals with a
`proposal_sent_at`; a row is in the period by its sent date. The forecast of the
pending proposals is their amount times the conversion rate; the month it is
expected in is the sent month shifted by the typical decision time (see
`DEFAULT_DECISION_DAYS` and docs/kpis/proposals-and-forecast.md).

Pending proposals are aged at the data's latest date (today when the data is
newer): one pending longer than the stale limit is stale, out of the forecast
unless asked for; one whose expected decision date is already past is overdue.
Neither ever lands in a month: no money is forecast in the past.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import (
    KpiResult,
    as_float,
    as_int,
    fetch_dicts,
    make_scope,
    median_of_counts,
)
from .currency import in_default_currency
from .period import data_span

# Used for the forecast month when no decided proposal has a known decision date.
DEFAULT_DECISION_DAYS = 30
# The stale limit is the time within which this share of the decided proposals
# were decided; DEFAULT_STALE_DAYS when no decided proposal has a decision date.
STALE_SHARE = 0.9
DEFAULT_STALE_DAYS = 90

_PROPOSAL_ROWS_SQL = 'SELECT count(*) AS n FROM "proposals"'
_ANY_SQL = """SELECT EXISTS (FROM "proposals")
    OR EXISTS (FROM "deals" WHERE "proposal_sent_at" IS NOT NULL)"""

# The selected rows: proposals (channel and decision date from the linked
# deal: deal ids are unique in a workspace, the importer rejects duplicates)
# or, when there is no proposals table, deals with a proposal_sent_at.
# Two texts chosen in Python (not one with both branches behind a parameter,
# which plans and runs the proposals branch's aggregate over every deal).
# `status` is the column as stored (VARCHAR or ENUM; anything but won/lost is open).
# A proposal is in its deal's currency; one without a deal (or whose deal has
# none) is in the default currency, kept when $unlinked (currency.in_default_currency).
_ROWS = {
    "proposals": f"""
    SELECT {m.owner_of('p."owner"')} AS owner,
           {m.channel_of('dd."channel"')} AS channel,
           p."sent_at" AS sent_at, coalesce(p."amount", 0) AS amount, p."status" AS status,
           dd."closed_at" AS decided_at
    FROM "proposals" AS p
    LEFT JOIN "deals" AS dd ON dd."deal_id" = p."deal_id"
    WHERE {m.in_period('p."sent_at"')}
      AND {m.currency_filter('dd."currency"', when_none="$unlinked")}""",
    "deals": f"""
    SELECT owner, channel, proposal_sent_at AS sent_at, amount, status,
           closed_at AS decided_at
    FROM ({m.deals(m.in_period('"proposal_sent_at"'), m.CURRENCY_FILTER)})""",
}

_SELECTED = f"""
    SELECT * FROM rows_
    WHERE {m.reps_filter("owner")}
      AND {m.channels_filter("channel")}"""

# Everything in one pass over the selected rows: one aggregate (materialised,
# it is small) to (month, rep, channel) cells, to days-to-decision of the
# decided rows and to the pending rows' sent day; then the summary's grouping
# sets over the cells, the days histogram (for the median) and the pending days
# (shifted by the decision time into forecast months in Python). The first
# branch types every column, as PostgreSQL wants (kpi/warehouse/dialect.py).
_MEASURES = (m.SENT, m.PROPOSALS_WON, m.PROPOSALS_LOST, m.PENDING, m.PENDING_VALUE)
_SQL = {source: f"""
WITH rows_ AS ({rows}), p AS ({_SELECTED}), base AS MATERIALIZED (
    SELECT GROUPING(month) AS g_cell, GROUPING(days) AS g_days, month, owner, channel, days,
           sent_at,
           {m.selects(_MEASURES)}
    FROM (SELECT *, {m.month("sent_at").select()},
                 CASE WHEN {m.CLOSED} AND decided_at >= sent_at
                      THEN date_diff('day', sent_at, decided_at) END AS days
          FROM p)
    GROUP BY GROUPING SETS ((month, owner, channel), (days), (sent_at))
)
SELECT 'summary' AS part, GROUPING(month) AS g_month, GROUPING(owner) AS g_owner,
       GROUPING(channel) AS g_channel, month, owner, channel, {m.rollups(_MEASURES)},
       CAST(NULL AS BIGINT) AS days, CAST(NULL AS DATE) AS sent_at
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


Bucket = Literal["stale", "overdue", "month"]
StaleSource = Literal["percentile", "default", "chosen"]


class ForecastBucket(BaseModel):
    """Pending proposals expected to be decided in `month`, or stale or overdue (no month)."""

    bucket: Bucket
    month: date | None = None
    pending: int
    pending_value: float
    forecast_revenue: float | None


class ProposalsResult(ProposalGroup, KpiResult):
    """Proposals and forecast figures (docs/kpis/proposals-and-forecast.md): the team's
    ProposalGroup and the forecast, the pending proposals' ageing, plus series by sent
    month, rep, channel and forecast bucket.

    The report adds to its proposal keys (docs/report-command.md) the ageing (`stale_days`, `stale`,
    `stale_value`, `overdue`, `overdue_value`); its `forecast_revenue` leaves the
    stale proposals out, as the page does by default.
    """

    FIGURES: ClassVar[tuple[str, ...]] = (
        "sent",
        "won",
        "lost",
        "pending",
        "conversion_rate",
        "forecast_revenue",
        "stale_days",
        "stale",
        "stale_value",
        "overdue",
        "overdue_value",
    )

    filters: Filters
    source: Literal["proposals", "deals"]
    forecast_revenue: float | None
    forecast_base: float  # the pending value the forecast counts (stale left out by default)
    decision_days: int
    decision_days_source: Literal["median", "default"]
    as_of: date | None
    stale_days: int
    stale_days_source: StaleSource
    measured_stale_days: int
    include_stale: bool
    stale: int
    stale_value: float
    overdue: int
    overdue_value: float
    by_month: list[ProposalMonth] = Field(default_factory=list)
    by_rep: list[ProposalRep] = Field(default_factory=list)
    by_channel: list[ProposalChannel] = Field(default_factory=list)
    forecast: list[ForecastBucket] = Field(default_factory=list)


def _group(row: dict[str, Any]) -> dict[str, Any]:
    won, lost = as_int(row["won"]), as_int(row["lost"])
    return {
        "sent": as_int(row["sent"]),
        "won": won,
        "lost": lost,
        "pending": as_int(row["pending"]),
        "conversion_rate": m.CONVERSION_RATE.of({"won": won, "lost": lost}),
        "pending_value": as_float(row["pending_value"]),
    }


def _times(value: float, rate: float | None) -> float | None:
    return None if rate is None else value * rate


def share_within(histogram: dict[int, int], share: float) -> int | None:
    """The fewest days within which `share` of the counted decisions were made.

    The nearest-rank percentile of a days histogram (value -> count): a day
    count that occurs in the data, so the page can say "90 % within N days".
    """
    total = sum(histogram.values())
    if total == 0:
        return None
    needed, seen = math.ceil(share * total), 0
    for days in sorted(histogram):
        seen += histogram[days]
        if seen >= needed:
            return days
    raise AssertionError("unreachable: the histogram's counts add up to total")


def has_proposals(con: Engine) -> bool:
    """Whether there are proposals to count: a proposals table, or deals carrying the date
    their proposal was sent (the rows `compute_proposals` reads); else the page's empty state."""
    return bool(con.execute(_ANY_SQL).fetchall()[0][0])


def as_of_date(con: Engine, today: date | None = None) -> date | None:
    """The day pending proposals are aged at: the data's latest date, or today if earlier."""
    today = today or date.today()
    latest = data_span(con)[1]
    return None if latest is None else min(latest, today)


def _bucket(sent_at: date, as_of: date | None, decision_days: int,
            stale_days: int) -> tuple[Bucket, date | None]:
    """Where one pending proposal goes: stale, overdue, or its expected month."""
    if as_of is not None and (as_of - sent_at).days > stale_days:
        return "stale", None
    expected = sent_at + timedelta(days=decision_days)
    if as_of is not None and expected < as_of:
        return "overdue", None
    return "month", expected.replace(day=1)


def _forecast(pending: list[dict[str, Any]], as_of: date | None, decision_days: int,
              stale_days: int, rate: float | None) -> list[ForecastBucket]:
    """Pending count and value per bucket: stale, overdue, then months in order."""
    sums: dict[tuple[Bucket, date | None], list[float]] = {}
    for row in pending:
        key = _bucket(row["sent_at"], as_of, decision_days, stale_days)
        slot = sums.setdefault(key, [0, 0.0])
        slot[0] += as_int(row["pending"])
        slot[1] += as_float(row["pending_value"])
    order: dict[Bucket, int] = {"stale": 0, "overdue": 1, "month": 2}
    keys = sorted(sums, key=lambda k: (order[k[0]], k[1] or date.min))
    return [ForecastBucket(bucket=bucket, month=month, pending=int(sums[bucket, month][0]),
                           pending_value=sums[bucket, month][1],
                           forecast_revenue=_times(sums[bucket, month][1], rate))
            for bucket, month in keys]


def _stale_limit(measured: int | None, chosen: int | None) -> tuple[int, StaleSource]:
    """The limit in use and where it comes from: the user, the data, or the default."""
    if chosen is not None:
        return chosen, "chosen"
    if measured is None:
        return DEFAULT_STALE_DAYS, "default"
    return measured, "percentile"


def _total(buckets: list[ForecastBucket], bucket: Bucket) -> tuple[int, float]:
    found = [b for b in buckets if b.bucket == bucket]
    return sum(b.pending for b in found), sum(b.pending_value for b in found)


def compute_proposals(
    con: Engine,
    filters: Filters,
    stale_days: int | None = None,
    include_stale: bool = False,
    today: date | None = None,
) -> ProposalsResult:
    """Proposals sent, won, lost, pending, conversion rate and the pending forecast.

    `stale_days` overrides the measured stale limit; stale proposals count in
    the forecast only with `include_stale`. `today` is for tests.
    """
    scope = make_scope(con, filters)
    count_row = con.execute(_PROPOSAL_ROWS_SQL).fetchone()
    source = "proposals" if count_row and count_row[0] else "deals"
    unlinked = source == "proposals" and in_default_currency(con, scope.filters)
    parts: dict[str, list[dict[str, Any]]] = {"summary": [], "days": [], "pending": []}
    for row in fetch_dicts(con, _SQL[source], scope.params(unlinked=unlinked)):
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
    histogram = {row["days"]: row["sent"] for row in parts["days"]}
    median_days = median_of_counts(histogram)
    if median_days is None:
        days, days_source = DEFAULT_DECISION_DAYS, "default"
    else:
        # Nearest whole day, halves up (Python's round() would round 2.5 to 2).
        days, days_source = math.floor(float(median_days) + 0.5), "median"
    measured = share_within(histogram, STALE_SHARE)
    limit, limit_source = _stale_limit(measured, stale_days)
    rate = figures["conversion_rate"]
    as_of = as_of_date(con, today)
    buckets = _forecast(parts["pending"], as_of, days, limit, rate)
    stale, stale_value = _total(buckets, "stale")
    overdue, overdue_value = _total(buckets, "overdue")
    counted = [b for b in buckets if include_stale or b.bucket != "stale"]
    base = sum(b.pending_value for b in counted)
    return ProposalsResult(
        filters=scope.filters,
        source=source,
        **figures,
        forecast_revenue=_times(base, rate),
        forecast_base=base,
        decision_days=days,
        decision_days_source=days_source,
        as_of=as_of,
        stale_days=limit,
        stale_days_source=limit_source,
        measured_stale_days=DEFAULT_STALE_DAYS if measured is None else measured,
        include_stale=include_stale,
        stale=stale,
        stale_value=stale_value,
        overdue=overdue,
        overdue_value=overdue_value,
        by_month=sorted(months, key=lambda month: month.month),
        by_rep=sorted(reps, key=lambda r: r.owner),
        by_channel=sorted(channels, key=lambda c: c.channel),
        forecast=counted,
    )
