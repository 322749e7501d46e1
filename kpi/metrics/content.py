"""Marketing content usage (docs/kpis/marketing-content.md).

Two views: how many of the deals worked in the period received a marketing
deck (at any date), and what the reps shared and posted in the period.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import KpiResult, as_int, fetch_dicts, make_scope

_LINKED_SQL = 'SELECT count(*) AS n FROM "content" WHERE "deal_id" IS NOT NULL'

# Content events dated in the period, for the selected reps (no channel filter:
# an event has no channel), in total, by month, by rep and by rep and month
# (the engagement chart draws a line per rep).
_EVENTS_SQL = f"""
WITH e AS (
    SELECT {m.REP.select()},
           {m.month('"date"').select()},
           "kind" AS kind,
           coalesce("views", 0) AS views,
           coalesce("likes", 0) AS likes
    FROM "content"
    WHERE {m.in_period('"date"')}
      AND {m.REPS_FILTER}
)
SELECT GROUPING(month) AS g_month, GROUPING(owner) AS g_owner, month, owner,
       {m.selects(m.CONTENT_EVENTS)}
FROM e
GROUP BY GROUPING SETS ((), (month), (owner), (month, owner))
"""

# D created in the period, and whether each received a deck (any date, any sender).
# Content events have no currency: only the deals worked follow the currency filter.
_USAGE_MEASURES = (m.DEALS_WORKED, m.DEALS_WITH_CONTENT)
_DEALS_SQL = f"""
WITH decks AS (
    SELECT DISTINCT "deal_id" AS deal_id FROM "content"
    WHERE {m.DECK_SHARED} AND "deal_id" IS NOT NULL
), d AS ({m.DEALS_D}), w AS (
    SELECT owner, {m.month("created_at").select()},
           deal_id IN (SELECT deal_id FROM decks) AS with_content
    FROM d
    WHERE {m.where(*m.CREATED_IN_PERIOD)}
), cells AS (
    SELECT month, owner, {m.selects(_USAGE_MEASURES)}
    FROM w
    GROUP BY ALL
)
SELECT GROUPING(month) AS g_month, GROUPING(owner) AS g_owner, month, owner,
       {m.rollups(_USAGE_MEASURES)}
FROM cells
GROUP BY GROUPING SETS ((), (month), (owner))
"""


class ContentGroup(BaseModel):
    deals_worked: int = 0
    deals_with_content: int = 0
    usage_rate: float | None = None
    decks_shared: int = 0
    articles_shared: int = 0
    own_posts: int = 0
    views: int = 0
    likes: int = 0


class ContentRep(ContentGroup):
    owner: str


class ContentMonth(ContentGroup):
    """Events by their month; deals worked by the month they were created."""

    month: date


class ContentRepMonth(BaseModel):
    """One rep's content events in one month (the engagement chart's points)."""

    owner: str
    month: date
    decks_shared: int
    articles_shared: int
    own_posts: int
    views: int
    likes: int


class ContentResult(ContentGroup, KpiResult):
    """docs/kpis/marketing-content.md figures (the team's ContentGroup), plus per-rep
    and monthly rows."""

    FIGURES: ClassVar[tuple[str, ...]] = tuple(ContentGroup.model_fields)

    filters: Filters
    has_deal_links: bool
    by_rep: list[ContentRep] = Field(default_factory=list)
    by_month: list[ContentMonth] = Field(default_factory=list)
    by_rep_month: list[ContentRepMonth] = Field(default_factory=list)


def _events(row: dict[str, Any]) -> dict[str, int]:
    return {measure.name: as_int(row[measure.name]) for measure in m.CONTENT_EVENTS}


def _usage(row: dict[str, Any], linked: bool) -> dict[str, Any]:
    values = {measure.name: as_int(row[measure.name]) for measure in _USAGE_MEASURES}
    # Without any deal_id in the content table the rate cannot be measured.
    return {**values, "usage_rate": m.USAGE_RATE.of(values) if linked else None}


def compute_content(con: Engine, filters: Filters) -> ContentResult:
    """Deck usage on the deals worked, and the reps' sharing and posting activity."""
    scope = make_scope(con, filters)
    params = scope.params()
    linked_row = con.execute(_LINKED_SQL).fetchone()
    linked = bool(linked_row and linked_row[0])
    event_rows = fetch_dicts(con, _EVENTS_SQL, params)
    deal_rows = fetch_dicts(con, _DEALS_SQL, params)

    total: dict[str, Any] = {}
    reps: dict[str, dict[str, Any]] = {}
    months: dict[date, dict[str, Any]] = {}
    rep_months: list[ContentRepMonth] = []
    for row in event_rows:
        if not row["g_month"] and not row["g_owner"]:
            rep_months.append(ContentRepMonth(owner=row["owner"], month=row["month"],
                                              **_events(row)))
        elif row["g_month"] and row["g_owner"]:
            total.update(_events(row))
        elif not row["g_month"]:
            months.setdefault(row["month"], {}).update(_events(row))
        else:
            reps.setdefault(row["owner"], {}).update(_events(row))
    for row in deal_rows:
        if row["g_month"] and row["g_owner"]:
            total.update(_usage(row, linked))
        elif not row["g_month"]:
            months.setdefault(row["month"], {}).update(_usage(row, linked))
        else:
            reps.setdefault(row["owner"], {}).update(_usage(row, linked))

    return ContentResult(
        filters=scope.filters,
        has_deal_links=linked,
        **total,
        by_rep=[ContentRep(owner=name, **reps[name]) for name in sorted(reps)],
        by_month=[ContentMonth(month=m, **months[m]) for m in sorted(months)],
        by_rep_month=sorted(rep_months, key=lambda r: (r.owner, r.month)),
    )
