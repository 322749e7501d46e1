"""Helpers shared by the KPI families: the resolved scope of a query, fetching, medians.

Every family resolves the filters the same way (period.resolve_period) so that a
page, the report command and a test all compute over the same rows. The rules,
measures, ratios and dimensions they compute are in measures.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from pydantic import BaseModel

from kpi.engine import Engine
from kpi.schema import Filters

from .currency import resolve_currency
from .period import resolve_period

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")

# Bounds used in SQL when the period is still open after resolution (an empty
# workspace): every date then falls inside, which is what "no limit" means.
OPEN_FROM = date(1, 1, 1)
OPEN_TO = date(9999, 12, 31)


@dataclass(frozen=True)
class Scope:
    """The resolved filters of one computation, ready to be passed as SQL parameters."""

    filters: Filters
    date_from: date
    date_to: date

    def params(self, **extra: Any) -> dict[str, Any]:
        """Named parameters common to every query ($f, $t, $reps, $channels, $currency)
        plus extras."""
        return {
            "f": self.date_from,
            "t": self.date_to,
            "reps": list(self.filters.reps),
            "channels": list(self.filters.channels),
            "currency": self.filters.currency,
            **extra,
        }


def make_scope(con: Engine, filters: Filters) -> Scope:
    """Resolve the default period and currency; the data is only read for a missing one.

    Pages resolve the filters once per run (kpi_page.resolved, the sidebar's
    currency) and pass them down, so the span scan (every date column of every
    table) and the currency count are not repeated by each family.
    """
    if filters.date_from is None or filters.date_to is None:
        filters = resolve_period(con, filters)
    filters = resolve_currency(con, filters)
    return Scope(
        filters=filters,
        date_from=filters.date_from or OPEN_FROM,
        date_to=filters.date_to or OPEN_TO,
    )


def fetch_dicts(
    con: Engine, sql: str, params: dict[str, Any]
) -> list[dict[str, Any]]:
    """Run a parameterised query and fetch every row (DuckDB 2 wants results finished).

    Only the parameters the query names are passed: DuckDB refuses extra ones,
    and this lets every family build one parameter dict for all its queries.
    """
    wanted = set(_PARAM.findall(sql))
    cursor = con.execute(sql, {k: v for k, v in params.items() if k in wanted})
    names = [column[0] for column in cursor.description or []]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def median_of_counts(histogram: dict[int, int]) -> float | None:
    """Median of the values counted in `histogram` (value -> count), as SQL's median().

    A histogram from GROUP BY is much cheaper to get than a median aggregate
    (a holistic aggregate keeps every value); the middle two are averaged.
    """
    total = sum(histogram.values())
    if total == 0:
        return None
    values = sorted(histogram)

    def value_at(rank: int) -> int:  # rank 0 is the smallest value
        seen = 0
        for value in values:
            seen += histogram[value]
            if rank < seen:
                return value
        raise IndexError(rank)

    return (value_at((total - 1) // 2) + value_at(total // 2)) / 2


def as_float(value: Any) -> float:
    """A SQL sum as a float (NULL sum of nothing is 0)."""
    return 0.0 if value is None else float(value)


def as_int(value: Any) -> int:
    """A SQL count or integer sum as an int (NULL is 0)."""
    return 0 if value is None else int(value)


class KpiResult(BaseModel):
    """Base of every family's result: headline figures plus aggregated series.

    `FIGURES` names the headline fields, in the order and with the JSON keys of
    docs/kpis/; `figures()` is what the report command prints for the family.
    """

    FIGURES: ClassVar[tuple[str, ...]] = ()

    def figures(self) -> dict[str, Any]:
        """The headline figures of this family as a JSON-ready dict."""
        dumped = self.model_dump(mode="json", include=set(self.FIGURES))
        return {name: dumped[name] for name in self.FIGURES}


SectionCompute = Callable[[Engine, Scope], dict[str, Any]]
"""A report section's figures, from an engine and the page's scope."""


@dataclass(frozen=True)
class ReportSection:
    """A KPI family's part of the report (docs/report-command.md), declared by the family.

    `compute` gives the family's headline figures for a resolved scope;
    `formats` says how the text report writes each figure (a measure or
    ratio format of measures.py, or "text" / "date"), also inside the rows of a
    figure that is a list; `row_label` names the field that starts such a row
    (a row without it starts with its first field).
    The report, its text format and their tests read the families registered
    here, so a new family adds its section without editing them.
    """

    key: str
    compute: SectionCompute
    formats: Mapping[str, str]
    row_label: str = "owner"


# Filled by `report_section` when a family module is imported (report.py imports
# every module of kpi.metrics), in the order of the modules' names.
REPORT_SECTIONS: dict[str, ReportSection] = {}


def report_section(key: str, formats: Mapping[str, str], row_label: str = "owner"
                   ) -> Callable[[SectionCompute], SectionCompute]:
    """Register the decorated function as the report section `key` (see ReportSection)."""
    def register(compute: SectionCompute) -> SectionCompute:
        REPORT_SECTIONS[key] = ReportSection(key, compute, formats, row_label)
        return compute
    return register
