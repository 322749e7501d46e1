"""Social selling KPIs (docs/kpis/social-selling.md) for one social channel, LinkedIn by default.

The social channel is picked by `Filters.social_channel`; the channel filter does
not apply (the page is about that one channel), the rep and period filters do.
With a leads table the funnel starts from leads; without one, from deals.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import KpiResult, as_float, as_int, fetch_dicts, make_scope

_LEADS_ROWS_SQL = 'SELECT count(*) AS n FROM "leads"'

# Leads and deals of the chosen channel created in the period, by month and rep.
# `customer` is converted_at set for a lead, status won for a deal. Leads have
# no currency: only the deals follow the currency filter.
_FUNNEL_SQL = f"""
WITH l AS (
    SELECT {m.REP.select()},
           {m.month('"created_at"').select()},
           "converted_at" IS NOT NULL AS customer
    FROM "leads"
    WHERE "channel" = $sc
      AND {m.in_period('"created_at"')}
      AND {m.REPS_FILTER}
), d AS (
    SELECT owner, {m.month("created_at").select()}, coalesce({m.WON}, false) AS customer
    FROM ({m.deals(m.REPS_FILTER, m.CURRENCY_FILTER)})
    WHERE channel = $sc
      AND {m.where(*m.CREATED_IN_PERIOD)}
), ev AS (
    SELECT 'lead' AS kind, owner, month, customer FROM l
    UNION ALL
    SELECT 'deal' AS kind, owner, month, customer FROM d
)
SELECT GROUPING(month) AS g_month, GROUPING(owner) AS g_owner, month, owner,
       count(*) FILTER (WHERE kind = 'lead') AS leads,
       count(*) FILTER (WHERE kind = 'lead' AND customer) AS converted_leads,
       count(*) FILTER (WHERE kind = 'deal') AS deals_created,
       count(*) FILTER (WHERE kind = 'deal' AND customer) AS won_deals
FROM ev
GROUP BY GROUPING SETS ((), (month), (owner))
"""

# Won deals closed in the period, per channel (rep and currency filters only:
# the page is about one channel set against the others).
_VALUE_MEASURES = (m.WON_DEALS, m.WON_REVENUE)
_VALUE_SQL = f"""
SELECT channel, {m.selects(_VALUE_MEASURES, period=True, given=m.WON_IN_PERIOD)}
FROM ({m.deals(m.REPS_FILTER, m.CURRENCY_FILTER)})
WHERE {m.where(*m.WON_IN_PERIOD)}
GROUP BY 1
"""


class FunnelStep(BaseModel):
    """One bar of the funnel: leads -> deals -> customers."""

    stage: Literal["leads", "deals", "customers"]
    count: int


class SocialGroup(BaseModel):
    leads: int
    deals_created: int
    customers: int
    lead_to_customer_rate: float | None


class SocialMonth(SocialGroup):
    """Month of created_at (first day)."""

    month: date


class SocialRep(SocialGroup):
    owner: str


class ChannelDealValue(BaseModel):
    """Average won deal value of one channel, to set the social channel against the others."""

    channel: str
    won: int
    won_revenue: float
    avg_deal_value: float | None
    selected: bool


class SocialResult(KpiResult):
    """Social selling figures for `channel` (docs/kpis/social-selling.md), plus funnel,
    monthly, per-rep and per-channel rows."""

    FIGURES: ClassVar[tuple[str, ...]] = (
        "leads",
        "customers",
        "lead_to_customer_rate",
        "deals_created",
        "avg_deal_value",
        "avg_deal_value_other",
    )

    filters: Filters
    channel: str
    leads_source: Literal["leads", "deals"]
    leads: int
    customers: int
    lead_to_customer_rate: float | None
    deals_created: int
    avg_deal_value: float | None
    avg_deal_value_other: float | None
    funnel: list[FunnelStep] = Field(default_factory=list)
    by_month: list[SocialMonth] = Field(default_factory=list)
    by_rep: list[SocialRep] = Field(default_factory=list)
    by_channel: list[ChannelDealValue] = Field(default_factory=list)


def _group(row: dict[str, object], from_leads: bool) -> dict[str, object]:
    values = {"leads": as_int(row["leads"] if from_leads else row["deals_created"]),
              "customers": as_int(row["converted_leads"] if from_leads else row["won_deals"])}
    return {
        **values,
        "deals_created": as_int(row["deals_created"]),
        "lead_to_customer_rate": m.LEAD_TO_CUSTOMER_RATE.of(values),
    }


def _avg_deal_value(rows: list[ChannelDealValue]) -> float | None:
    """The average won deal value of these channels together."""
    return m.AVG_DEAL_VALUE.of({"won": sum(r.won for r in rows),
                                "won_revenue": sum(r.won_revenue for r in rows)})


def compute_social_selling(con: Engine, filters: Filters) -> SocialResult:
    """Leads, customers, conversion and deal value of the chosen social channel."""
    scope = make_scope(con, filters)
    channel = scope.filters.social_channel
    params = scope.params(sc=channel)
    leads_row = con.execute(_LEADS_ROWS_SQL).fetchone()
    from_leads = bool(leads_row and leads_row[0])
    funnel_rows = fetch_dicts(con, _FUNNEL_SQL, params)
    value_rows = fetch_dicts(con, _VALUE_SQL, params)

    total: dict[str, object] = {}
    months: list[SocialMonth] = []
    reps: list[SocialRep] = []
    for row in funnel_rows:
        if row["g_month"] and row["g_owner"]:
            total = _group(row, from_leads)
        elif not row["g_month"]:
            months.append(SocialMonth(month=row["month"], **_group(row, from_leads)))
        else:
            reps.append(SocialRep(owner=row["owner"], **_group(row, from_leads)))

    by_channel: list[ChannelDealValue] = []
    # by name in Python: an ENUM column would ORDER BY its declaration order
    for row in sorted(value_rows, key=lambda r: str(r["channel"])):
        values = {"won": as_int(row["won"]), "won_revenue": as_float(row["won_revenue"])}
        by_channel.append(ChannelDealValue(channel=row["channel"], **values,
                                           avg_deal_value=m.AVG_DEAL_VALUE.of(values),
                                           selected=row["channel"] == channel))
    mine = [c for c in by_channel if c.selected]
    others = [c for c in by_channel if not c.selected]
    leads = as_int(total.get("leads"))
    deals_created = as_int(total.get("deals_created"))
    customers = as_int(total.get("customers"))
    return SocialResult(
        filters=scope.filters,
        channel=channel,
        leads_source="leads" if from_leads else "deals",
        leads=leads,
        customers=customers,
        lead_to_customer_rate=m.LEAD_TO_CUSTOMER_RATE.of({"customers": customers,
                                                          "leads": leads}),
        deals_created=deals_created,
        avg_deal_value=_avg_deal_value(mine),
        avg_deal_value_other=_avg_deal_value(others),
        funnel=[
            FunnelStep(stage="leads", count=leads),
            FunnelStep(stage="deals", count=deals_created),
            FunnelStep(stage="customers", count=customers),
        ],
        by_month=sorted(months, key=lambda month: month.month),
        by_rep=sorted(reps, key=lambda r: r.owner),
        by_channel=by_channel,
    )
