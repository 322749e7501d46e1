"""Packages vs revenue: what each rep costs against what they bring.

docs/kpis/packages-vs-revenue.md says what each figure means.

A rep's package inside the period is each month's package times the share of
that month's days inside the period. Annual packages (rows with `month` NULL)
are spread evenly, 1/12 per month, over every month of every calendar year the
loaded data covers (period.data_span). A monthly row without a package counts 0.
Packages carry no currency: they are in the default currency and only set
against that currency's revenue (currency.in_default_currency).
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import KpiResult, as_float, fetch_dicts, make_scope
from .currency import in_default_currency
from .period import data_span

_ANNUAL_ROWS_SQL = 'SELECT count(*) FROM "compensation" WHERE "month" IS NULL'

# Package per rep inside [$f, $t]. Annual rows are expanded to the months of the
# years $y0..$y1 (the data's years); $spread is false on a workspace without dates.
# No package counts when $packages is false (another currency is selected).
_PACKAGES_SQL = f"""
WITH comp AS (
    SELECT {m.REP.select()}, "month" AS month,
           "package" AS package, "annual_package" AS annual_package
    FROM "compensation"
    WHERE {m.REPS_FILTER} AND $packages
), months AS (
    SELECT CAST(unnest(generate_series(make_date(CAST($y0 AS INTEGER), 1, 1),
                                       make_date(CAST($y1 AS INTEGER), 12, 1),
                                       INTERVAL 1 MONTH)) AS DATE) AS m
), monthly AS (
    SELECT owner, CAST(date_trunc('month', month) AS DATE) AS m, coalesce(package, 0) AS amount
    FROM comp WHERE month IS NOT NULL
    UNION ALL
    SELECT comp.owner, months.m, coalesce(comp.annual_package, 0) / 12 AS amount
    FROM comp CROSS JOIN months
    WHERE comp.month IS NULL AND $spread
)
SELECT owner,
       sum(CASE WHEN m IS NOT NULL AND greatest(m, $f) <= least(last_day(m), $t)
                THEN amount * (date_diff('day', greatest(m, $f), least(last_day(m), $t)) + 1)
                     / day(last_day(m))
                ELSE 0 END) AS package
FROM (SELECT owner, m, amount FROM monthly
      UNION ALL SELECT DISTINCT owner, CAST(NULL AS DATE), 0 FROM comp)
GROUP BY owner
ORDER BY owner
"""

# Won revenue per rep as in the pipeline (D, closed in the period), and which
# reps have any deal of D created or closed in the period.
_REVENUE_SQL = f"""
WITH d AS ({m.DEALS_D})
SELECT owner,
       {m.WON_REVENUE.select(period=True)},
       bool_or({m.where(*m.CREATED_IN_PERIOD)}
               OR ({m.where(*m.CLOSED_IN_PERIOD)})) AS active
FROM d
GROUP BY owner
ORDER BY owner
"""


class RepPackage(BaseModel):
    """One rep's cost and revenue in the period. ratio/meets_target are None at package 0."""

    owner: str
    package: float
    revenue: float
    ratio: float | None
    meets_target: bool | None


class CompensationResult(KpiResult):
    """Per rep package vs revenue, the team ratio, reps without a package
    (docs/kpis/packages-vs-revenue.md)."""

    FIGURES: ClassVar[tuple[str, ...]] = ("team_ratio", "reps", "reps_without_package")

    filters: Filters
    target_multiple: float
    team_ratio: float | None
    total_package: float
    total_revenue: float
    reps: list[RepPackage] = Field(default_factory=list)
    reps_without_package: list[str] = Field(default_factory=list)


def compute_compensation(con: Engine, filters: Filters) -> CompensationResult:
    """Package cost inside the period against won revenue, per rep and for the team."""
    scope = make_scope(con, filters)
    # The data's years only matter to spread annual packages (a small table to ask).
    annual = con.execute(_ANNUAL_ROWS_SQL).fetchall()[0][0]
    lo, hi = data_span(con) if annual else (None, None)
    spread = lo is not None and hi is not None
    packages_counted = in_default_currency(con, scope.filters)
    params: dict[str, Any] = scope.params(
        y0=lo.year if lo is not None else 2000,
        y1=hi.year if hi is not None else 2000,
        spread=spread,
        packages=packages_counted,
    )
    packages = {
        row["owner"]: as_float(row["package"]) for row in fetch_dicts(con, _PACKAGES_SQL, params)
    }
    revenue_rows = fetch_dicts(con, _REVENUE_SQL, params)
    revenue = {row["owner"]: as_float(row["won_revenue"]) for row in revenue_rows}

    target = scope.filters.target_multiple
    reps: list[RepPackage] = []
    for owner, package in packages.items():
        rep_revenue = revenue.get(owner, 0.0)
        rep_ratio = m.PACKAGE_RATIO.of({"won_revenue": rep_revenue, "package": package})
        reps.append(
            RepPackage(
                owner=owner,
                package=package,
                revenue=rep_revenue,
                ratio=rep_ratio,
                meets_target=None if rep_ratio is None else rep_ratio >= target,
            )
        )
    total_package = sum(rep.package for rep in reps)
    total_revenue = sum(rep.revenue for rep in reps)
    return CompensationResult(
        filters=scope.filters,
        target_multiple=target,
        team_ratio=m.PACKAGE_RATIO.of({"won_revenue": total_revenue,
                                        "package": total_package}),
        total_package=total_package,
        total_revenue=total_revenue,
        reps=reps,
        reps_without_package=sorted(
            row["owner"] for row in revenue_rows
            if packages_counted and row["active"] and row["owner"] not in packages
        ),
    )
