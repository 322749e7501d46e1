"""Per-channel KPIs and the channel focus recommendation (docs/kpis/channels.md).

The recommendation ranks the channels with enough closed deals and keeps the
best three (a fourth when the top three do not bring 80 % of the ranked
channels' revenue). The catch-alls (`unknown`, `other`) are never ranked: they
are not channels one can invest in but values to map, so they are listed apart.
Each decision carries a reason code and the numbers behind it, so the page can
phrase it in any language; `reason_en` is the English text.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import as_float, as_int, fetch_dicts, make_scope
from .currency import in_default_currency

RankingMetric = Literal["revenue_per_closed", "win_rate", "revenue"]
RANKING_METRICS: tuple[str, ...] = ("revenue_per_closed", "win_rate", "revenue")
KEEP_COUNT = 3
FOURTH_THRESHOLD = 0.8
# Not channels but leftovers of the import (empty or unrecognised source values).
CATCH_ALLS: tuple[str, ...] = ("other", "unknown")
Decision = Literal["keep", "reduce", "insufficient_data", "catch_all"]
# The decisions in the order the page, the chart and the tables list them.
DECISIONS: tuple[Decision, ...] = ("keep", "reduce", "insufficient_data", "catch_all")

# One row per channel of D (deals passing the rep, channel and currency
# filters, any date), of the leads created in the period (leads have no
# currency) and of the costs overlapping it, counted when $costs (the costs are
# in the default currency: currency.in_default_currency).
_DEAL_MEASURES = (m.DEALS_CREATED, m.CLOSED_DEALS, m.WON_DEALS, m.WON_REVENUE)
_COST_CHANNEL = m.channel_of('"channel"')
_CHANNELS_SQL = f"""
WITH d AS ({m.DEALS_D}), dc AS (
    SELECT channel,
           {m.selects(_DEAL_MEASURES, period=True)}
    FROM d GROUP BY channel
), lc AS (
    SELECT "channel" AS channel, {m.LEADS.select()}
    FROM "leads"
    WHERE {m.in_period('"created_at"')}
      AND {m.REPS_FILTER}
      AND {m.CHANNELS_FILTER}
    GROUP BY 1
), cm AS (
    SELECT {_COST_CHANNEL} AS channel,
           CAST(date_trunc('month', "month") AS DATE) AS m,
           coalesce("spend", 0) AS spend
    FROM "channel_costs"
    WHERE "month" IS NOT NULL AND $costs
      AND {m.channels_filter(_COST_CHANNEL)}
), sc AS (
    -- Each month's spend times the share of that month's days inside the period.
    SELECT channel,
           sum(spend * (date_diff('day', greatest(m, $f), least(last_day(m), $t)) + 1)
               / day(last_day(m))) AS {m.SPEND.name}
    FROM cm
    WHERE greatest(m, $f) <= least(last_day(m), $t)
    GROUP BY channel
)
SELECT channel, {", ".join(f"dc.{x.name}" for x in _DEAL_MEASURES)}, lc.leads, sc.spend
FROM dc FULL OUTER JOIN lc USING (channel) FULL OUTER JOIN sc USING (channel)
"""


class ChannelRow(BaseModel):
    """docs/kpis/channels.md figures of one channel. `spend`/`cac` are None without cost data."""

    channel: str
    leads: int
    deals_created: int
    closed: int
    won: int
    win_rate: float | None
    revenue: float
    avg_deal_value: float | None
    revenue_per_closed: float | None
    spend: float | None
    cac: float | None


class FocusReason(BaseModel):
    """Why a channel got its decision: a code and the numbers a sentence needs.

    Codes: `keep_top` (in the top 3), `keep_fourth` (4th, kept because the top 3
    bring less than 80 % of the ranked revenue; see `top3_share`), `reduce_rank`
    (ranked below the kept channels), `insufficient_closed` (fewer closed deals
    than `min_closed`), `catch_all` (`unknown` or `other`: never ranked; `closed`
    and `revenue` say how much sits there).
    """

    code: Literal["keep_top", "keep_fourth", "reduce_rank", "insufficient_closed", "catch_all"]
    rank: int | None = None
    ranked: int
    metric: str
    value: float | None
    revenue: float
    closed: int
    min_closed: int
    revenue_share: float | None = None
    top3_share: float | None = None


class FocusItem(BaseModel):
    channel: str
    decision: Decision
    reason: FocusReason
    reason_en: str


class ChannelFocus(BaseModel):
    """The recommendation; each list is in rank order (insufficient_data, catch_all by name)."""

    metric: str
    min_closed: int
    top3_share: float | None
    keep: list[FocusItem] = Field(default_factory=list)
    reduce: list[FocusItem] = Field(default_factory=list)
    insufficient_data: list[FocusItem] = Field(default_factory=list)
    catch_all: list[FocusItem] = Field(default_factory=list)

    def channel_ids(self) -> dict[str, list[str]]:
        """{"keep": [...], "reduce": [...], "insufficient_data": [...], "catch_all": [...]}.

        The report's `channel_focus`: the report's three lists plus `catch_all` (unknown, other).
        """
        return {decision: [item.channel for item in getattr(self, decision)]
                for decision in DECISIONS}

    def decisions(self) -> dict[str, Decision]:
        """Channel id -> its decision."""
        return {item.channel: item.decision for decision in DECISIONS
                for item in getattr(self, decision)}


class ChannelsResult(BaseModel):
    """The per-channel table (by revenue, then name) and the focus recommendation."""

    filters: Filters
    channels: list[ChannelRow]
    focus: ChannelFocus

    def sorted_by(self, measure: str) -> list[ChannelRow]:
        """The rows by `measure`, highest first, then by name; empty values last.

        The by-channel chart and the table under it both use this order.
        """
        return sorted(self.channels, key=lambda r: (getattr(r, measure) is None,
                                                    -(getattr(r, measure) or 0), r.channel))


_METRIC_LABEL = {
    "revenue_per_closed": "revenue per closed deal",
    "win_rate": "win rate",
    "revenue": "revenue",
}


def _format_value(metric: str, value: float | None) -> str:
    if value is None:
        return "n/a"
    if m.FORMATS.get(metric) == "percent":
        return f"{value:.0%}"
    return f"{value:,.2f}"


def _sentence(reason: FocusReason) -> str:
    label = _METRIC_LABEL.get(reason.metric, reason.metric)
    value = _format_value(reason.metric, reason.value)
    if reason.code == "keep_top":
        return (
            f"Keep: rank {reason.rank} of {reason.ranked} by {label} ({value}), "
            f"{reason.revenue_share or 0:.0%} of the ranked channels' revenue."
        )
    if reason.code == "keep_fourth":
        return (
            f"Keep: rank {reason.rank} of {reason.ranked} by {label} ({value}); kept because "
            f"the top 3 bring only {reason.top3_share or 0:.0%} of the ranked channels' revenue."
        )
    if reason.code == "reduce_rank":
        return (
            f"Reduce: rank {reason.rank} of {reason.ranked} by {label} ({value}), below the "
            "channels kept; spend less on it, do not drop it."
        )
    if reason.code == "catch_all":
        return (
            f"Not ranked: {reason.closed} closed deal(s) and {reason.revenue:,.2f} of revenue "
            "whose source was empty or not recognised; map those values to channels."
        )
    return (
        f"Not enough data: {reason.closed} closed deal(s) in the period, "
        f"at least {reason.min_closed} needed to rank it."
    )


def _share(revenue: float, ranked_revenue: float) -> float | None:
    return m.REVENUE_SHARE.of({"won_revenue": revenue, "ranked_revenue": ranked_revenue})


def channel_focus(
    rows: list[ChannelRow],
    min_closed: int = 10,
    metric: RankingMetric = "revenue_per_closed",
) -> ChannelFocus:
    """Keep / reduce / insufficient_data per channel, ranked by `metric`.

    Channels with at least `min_closed` closed deals (and at least one, so every
    metric is defined) are ranked by the metric, then revenue, then name; the
    catch-alls (CATCH_ALLS) never are.
    """
    if metric not in RANKING_METRICS:
        raise ValueError(f"unknown ranking metric {metric!r}; use one of {RANKING_METRICS}")
    threshold = max(min_closed, 1)
    eligible = [row for row in rows if row.channel not in CATCH_ALLS and row.closed >= threshold]
    ranked = sorted(eligible, key=lambda r: (-(getattr(r, metric) or 0.0), -r.revenue, r.channel))
    total = sum(row.revenue for row in ranked)
    top3 = sum(row.revenue for row in ranked[:KEEP_COUNT])
    top3_share = _share(top3, total) if len(ranked) > KEEP_COUNT else None
    keep_count = KEEP_COUNT
    if top3_share is not None and top3_share < FOURTH_THRESHOLD:
        keep_count += 1

    focus = ChannelFocus(metric=metric, min_closed=min_closed, top3_share=top3_share)

    def add(row: ChannelRow, decision: Decision, code: str, **ranking: Any) -> None:
        reason = FocusReason(code=code, ranked=len(ranked), metric=metric,
                             value=getattr(row, metric), revenue=row.revenue,
                             closed=row.closed, min_closed=threshold, **ranking)
        item = FocusItem(channel=row.channel, decision=decision, reason=reason,
                         reason_en=_sentence(reason))
        getattr(focus, decision).append(item)

    for rank, row in enumerate(ranked, start=1):
        fourth = KEEP_COUNT < rank <= keep_count
        decision: Decision = "keep" if rank <= keep_count else "reduce"
        code = "keep_fourth" if fourth else ("keep_top" if decision == "keep" else "reduce_rank")
        add(row, decision, code, rank=rank, revenue_share=_share(row.revenue, total),
            top3_share=top3_share if fourth else None)
    unranked = sorted((r for r in rows if r.closed < threshold or r.channel in CATCH_ALLS),
                      key=lambda r: r.channel)
    for row in unranked:
        if row.channel in CATCH_ALLS:
            add(row, "catch_all", "catch_all")
        else:
            add(row, "insufficient_data", "insufficient_closed")
    return focus


def _row(data: dict[str, Any]) -> ChannelRow:
    values = {"closed": as_int(data["closed"]), "won": as_int(data["won"]),
              "won_revenue": as_float(data["won_revenue"]),
              "spend": None if data["spend"] is None else float(data["spend"])}
    return ChannelRow(
        channel=data["channel"],
        leads=as_int(data["leads"]),
        deals_created=as_int(data["deals_created"]),
        closed=values["closed"],
        won=values["won"],
        win_rate=m.WIN_RATE.of(values),
        revenue=values["won_revenue"],
        avg_deal_value=m.AVG_DEAL_VALUE.of(values),
        revenue_per_closed=m.REVENUE_PER_CLOSED.of(values),
        spend=values["spend"],
        cac=m.CAC.of(values),
    )


def compute_channels(
    con: Engine,
    filters: Filters,
    ranking_metric: RankingMetric = "revenue_per_closed",
) -> ChannelsResult:
    """Leads, deals, win rate, revenue, spend and CAC per channel, and which to focus on."""
    scope = make_scope(con, filters)
    costs = in_default_currency(con, scope.filters)
    rows = [_row(data) for data in fetch_dicts(con, _CHANNELS_SQL, scope.params(costs=costs))]
    rows.sort(key=lambda r: (-r.revenue, r.channel))
    return ChannelsResult(
        filters=scope.filters,
        channels=rows,
        focus=channel_focus(rows, scope.filters.min_closed, ranking_metric),
    )
