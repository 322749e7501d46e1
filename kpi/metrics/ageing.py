"""Deal ageing (docs/kpis/deal-ageing.md): how old the open pipeline is, and what is stalled.

The open deals are the Overview's open pipeline (still open, created on or
before the period's end), aged in days at the period's end. A deal is stalled
when it has been open longer than the stall limit: the number of days within
which 80 % of the won deals were won (their cycle, creation to close), over
every won deal of the selected currency, whatever its date, rep or channel:
the team's usual pace, not the period's.

The limit is the nearest-rank percentile (a cycle some deal really took, the
same rule as the stale proposals' limit), which is what DuckDB's quantile_disc
gives; it is read from a GROUP BY histogram of cycles, cheaper than a holistic
quantile over every won deal.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import KpiResult, Scope, as_float, as_int, fetch_dicts, make_scope, report_section
from .proposals import share_within

# Age bands by their last day (docs/kpis/deal-ageing.md); older than the last is one band more.
BAND_ENDS: tuple[int, ...] = (30, 60, 90, 180)
STALL_SHARE = 0.8
STALLED_LISTED = 500  # the page's list of stalled deals, oldest first
STALLED_REPORTED = 50  # the report's

# A deal's age at the period's end, and its band (the index of the first band
# end it does not pass; len(BAND_ENDS) past the last).
_AGE = "date_diff('day', created_at, $t)"
_BAND = ("CASE " + " ".join(f"WHEN {_AGE} <= {end} THEN {i}" for i, end in enumerate(BAND_ENDS))
         + f" ELSE {len(BAND_ENDS)} END")

# How many won deals of the selected currency took each number of days (any
# date, rep or channel): the stall limit comes from this histogram.
_CYCLES_SQL = f"""
SELECT {m.CYCLE_DAYS} AS days, {m.WON_DEALS.select(given=m.IN_CYCLE)}
FROM "deals"
WHERE {m.where(m.CURRENCY_FILTER, *m.IN_CYCLE)}
GROUP BY ALL
"""

# Open deals of D at the period's end per (band, stage, stalled): a few cells.
_AGES_SQL = f"""
SELECT {_BAND} AS band, "stage" AS stage, coalesce({_AGE} > $limit, false) AS stalled,
       {m.OPEN_DEALS.select(given=m.OPEN_AT_END)},
       {m.OPEN_PIPELINE_VALUE.select(given=m.OPEN_AT_END)}
FROM "deals"
WHERE {m.where(*m.D_FILTERS, *m.OPEN_AT_END)}
GROUP BY ALL
"""

_STALLED_SQL = f"""
SELECT "deal_id" AS deal_id, "deal_name" AS deal_name, {m.REP.select()}, "stage" AS stage,
       coalesce("amount", 0) AS amount, created_at, {_AGE} AS age_days
FROM "deals"
WHERE {m.where(*m.D_FILTERS, *m.OPEN_AT_END)} AND {_AGE} > $limit
ORDER BY age_days DESC, amount DESC, deal_id
LIMIT $listed
"""


class Band(BaseModel):
    """An age band: its code ('0-30', '181+'), first and last day (None: no last day)."""

    band: str
    first_day: int
    last_day: int | None

    @classmethod
    def of(cls, index: int) -> Band:
        first = 0 if index == 0 else BAND_ENDS[index - 1] + 1
        last = BAND_ENDS[index] if index < len(BAND_ENDS) else None
        return cls(band=f"{first}-{last}" if last is not None else f"{first}+",
                   first_day=first, last_day=last)


class AgeCell(Band):
    """Open deals of one stage in one age band (`stage` None: the deal has no stage)."""

    stage: str | None
    open_deals: int
    open_value: float


class StageAge(BaseModel):
    stage: str | None
    open_deals: int
    open_value: float
    stalled: int


class BandAge(Band):
    open_deals: int
    open_value: float


class StalledDeal(BaseModel):
    deal_id: str | None
    deal_name: str | None
    owner: str
    stage: str | None
    amount: float
    created_at: date
    age_days: int


class AgeingResult(KpiResult):
    """docs/kpis/deal-ageing.md."""

    FIGURES: ClassVar[tuple[str, ...]] = (
        "open_deals", "stall_limit", "stalled", "stalled_value", "age_bands", "by_stage",
        "stalled_deals")

    filters: Filters
    open_deals: int
    stall_limit: int | None
    stalled: int
    stalled_value: float
    age_bands: list[BandAge] = Field(default_factory=list)
    by_stage: list[StageAge] = Field(default_factory=list)
    cells: list[AgeCell] = Field(default_factory=list)
    stalled_deals: list[StalledDeal] = Field(default_factory=list)


def _sums(rows: list[dict[str, Any]], key: Any) -> dict[Any, list[float]]:
    """Open deals and value per key(row), in first-seen order."""
    sums: dict[Any, list[float]] = {}
    for row in rows:
        slot = sums.setdefault(key(row), [0, 0.0])
        slot[0] += as_int(row["open_deals"])
        slot[1] += as_float(row["open_pipeline_value"])
    return sums


def _ageing(con: Engine, scope: Scope, listed: int) -> AgeingResult:
    cycles = fetch_dicts(con, _CYCLES_SQL, scope.params())
    limit = share_within({row["days"]: as_int(row[m.WON_DEALS.name]) for row in cycles},
                         STALL_SHARE)
    rows = sorted(fetch_dicts(con, _AGES_SQL, scope.params(limit=limit)),
                  key=lambda r: (r["band"], r["stage"] is None, r["stage"] or ""))
    stalled = _sums([r for r in rows if r["stalled"]], lambda r: r["stage"])
    cells = _sums(rows, lambda r: (r["band"], r["stage"]))
    bands = _sums(rows, lambda r: r["band"])
    stages = _sums(sorted(rows, key=lambda r: (r["stage"] is None, r["stage"] or "")),
                   lambda r: r["stage"])
    listed_rows = fetch_dicts(con, _STALLED_SQL, scope.params(
        limit=limit, listed=listed)) if stalled else []
    return AgeingResult(
        filters=scope.filters,
        open_deals=sum(int(n) for n, _ in stages.values()),
        stall_limit=limit,
        stalled=sum(int(n) for n, _ in stalled.values()),
        stalled_value=sum(v for _, v in stalled.values()),
        age_bands=[BandAge(**dict(Band.of(b)), open_deals=int(n), open_value=v)
                   for b, (n, v) in bands.items()],
        by_stage=[StageAge(stage=s, open_deals=int(n), open_value=v,
                           stalled=int(stalled.get(s, [0])[0]))
                  for s, (n, v) in stages.items()],
        cells=[AgeCell(**dict(Band.of(b)), stage=s, open_deals=int(n), open_value=v)
               for (b, s), (n, v) in cells.items()],
        stalled_deals=[StalledDeal(**row) for row in listed_rows],
    )


def compute_ageing(con: Engine, filters: Filters,
                   listed: int = STALLED_LISTED) -> AgeingResult:
    """Open deals by age band and stage at the period's end, the stall limit, stalled deals."""
    return _ageing(con, make_scope(con, filters), listed)


@report_section("deal_ageing", row_label="band", formats={
    "open_deals": m.OPEN_DEALS.format, "stall_limit": "days", "stalled": "count",
    "stalled_value": "money", "open_value": "money", "stage": "text", "owner": "text",
    "deal_name": "text", "amount": "money", "age_days": "days"})
def ageing_report(con: Engine, scope: Scope) -> dict[str, Any]:
    """The report's `deal_ageing` (docs/report-command.md): bands as their first day."""
    return _ageing(con, scope, STALLED_REPORTED).figures()
