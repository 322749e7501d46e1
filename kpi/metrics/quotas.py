"""Quota attainment (docs/kpis/quota-attainment.md): won revenue against each rep's quota.

A quota row covers a period: from its start month's first day for a month, a
quarter or a year (as its `interval` column says), or up to its own end date. A
quota counts in proportion to the days of its period inside the selected
period, and the rep's revenue is what they won on those same days, so a rep
with a January quota is not measured on March's deals. Quotas without a
currency are in the default currency (like packages, currency.in_default_currency).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import KpiResult, Scope, as_float, fetch_dicts, make_scope, report_section
from .currency import in_default_currency

# The quota figures (docs/kpis/quota-attainment.md): the target inside the period, and
# attainment = won revenue / target.
TARGET = m.Measure("target", "sum", "money")
ATTAINMENT = m.Ratio("attainment", m.WON_REVENUE.name, (TARGET.name,), "percent")

# How many months a quota lasts, from the words of its `interval` column (folded
# to lower case): Pipedrive's intervals, HubSpot's and spreadsheets' words in
# English and French. Anything else, or no column, is a month.
_PERIOD_MONTHS: tuple[tuple[str, int], ...] = (("year|annu", 12), ("quart|trimest", 3))
_MONTHS = "CASE " + " ".join(
    f"WHEN regexp_matches(lower(\"interval\"), {m.sql_string(words)}) THEN {months}"
    for words, months in _PERIOD_MONTHS) + " ELSE 1 END"

# Each quota row (numbered: two equal rows stay two) with the part of its
# period inside [$f, $t], then the won revenue of its rep on those days (D: the
# rep, channel and currency filters apply to the deals).
_QUOTAS_SQL = f"""
WITH q AS (
    SELECT row_number() OVER () AS quota_row, {m.REP.select()}, "period_start" AS starts,
           coalesce("period_end", CAST("period_start" + INTERVAL 1 MONTH * ({_MONTHS})
                                       - INTERVAL 1 DAY AS DATE)) AS ends,
           coalesce("target", 0) AS full_target
    FROM "quotas"
    WHERE {m.REPS_FILTER}
      AND {m.currency_filter('upper("currency")', when_none="$unlinked")}
), inside AS (
    SELECT *, greatest(starts, $f) AS lo, least(ends, $t) AS hi
    FROM q
    WHERE starts <= ends AND greatest(starts, $f) <= least(ends, $t)
), won AS ({m.deals(*m.D_FILTERS, m.WON)})
SELECT quota_row, inside.owner AS owner, starts AS period_start, ends AS period_end,
       full_target * (date_diff('day', lo, hi) + 1) / (date_diff('day', starts, ends) + 1)
           AS target,
       {m.WON_REVENUE.select(given=(m.WON,))}
FROM inside
LEFT JOIN won ON won.owner = inside.owner AND won.closed_at BETWEEN inside.lo AND inside.hi
GROUP BY ALL
ORDER BY owner, period_start, quota_row
"""


class Attainment(BaseModel):
    """Target inside the period, won revenue on the same days, and their ratio."""

    target: float
    won_revenue: float
    attainment: float | None


class QuotaPeriod(Attainment):
    """One quota row: its rep and whole period (the target is its part inside the period)."""

    owner: str
    period_start: date
    period_end: date


class RepAttainment(Attainment):
    owner: str


class QuotasResult(KpiResult):
    """docs/kpis/quota-attainment.md: the team's and each rep's, and every quota row."""

    FIGURES: ClassVar[tuple[str, ...]] = ("team_attainment", "target", "won_revenue", "reps")

    filters: Filters
    team_attainment: float | None
    target: float
    won_revenue: float
    reps: list[RepAttainment] = Field(default_factory=list)
    quotas: list[QuotaPeriod] = Field(default_factory=list)


def _attained(target: float, won_revenue: float) -> dict[str, Any]:
    values = {TARGET.name: target, m.WON_REVENUE.name: won_revenue}
    return {**values, ATTAINMENT.name: ATTAINMENT.of(values)}


def compute_quotas(con: Engine, filters: Filters) -> QuotasResult:
    """Quota attainment per quota row, per rep and for the team, inside the period."""
    scope = make_scope(con, filters)
    params = scope.params(unlinked=in_default_currency(con, scope.filters))
    quotas: list[QuotaPeriod] = []
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in fetch_dicts(con, _QUOTAS_SQL, params):
        target, won = as_float(row["target"]), as_float(row["won_revenue"])
        quotas.append(QuotaPeriod(owner=row["owner"], period_start=row["period_start"],
                                  period_end=row["period_end"], **_attained(target, won)))
        sums[row["owner"]][0] += target
        sums[row["owner"]][1] += won
    reps = [RepAttainment(owner=owner, **_attained(*sums[owner])) for owner in sorted(sums)]
    team = _attained(sum(r.target for r in reps), sum(r.won_revenue for r in reps))
    return QuotasResult(filters=scope.filters, team_attainment=team[ATTAINMENT.name],
                        target=team[TARGET.name], won_revenue=team[m.WON_REVENUE.name],
                        reps=reps, quotas=quotas)


@report_section("quota_attainment", formats={
    "team_attainment": ATTAINMENT.format, TARGET.name: TARGET.format,
    m.WON_REVENUE.name: m.WON_REVENUE.format, ATTAINMENT.name: ATTAINMENT.format})
def quota_report(con: Engine, scope: Scope) -> dict[str, Any]:
    """The report's `quota_attainment` (docs/report-command.md)."""
    return compute_quotas(con, scope.filters).figures()
