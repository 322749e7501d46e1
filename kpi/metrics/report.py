"""Every KPI of docs/kpis/ as JSON (docs/report-command.md) (the caller adds "import").

This is what `python -m kpi report` prints and what a published snapshot can
store, so it holds the headline figures only (no chart series), at full
precision, with None for undefined ratios.

The first families have their keys here (CORE_KEYS); every family added since
registers its own section (`_common.report_section`), found by importing every
module of this package, and comes after them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path
from typing import Any

from kpi.catalog import row_counts
from kpi.engine import Engine
from kpi.schema import Filters

from ._common import REPORT_SECTIONS, ReportSection, make_scope
from .channels import RankingMetric, compute_channels
from .compensation import compute_compensation
from .content import compute_content
from .pipeline import pipeline_for_scope
from .proposals import compute_proposals
from .social import compute_social_selling

# The keys computed below, in the contract's order; registered sections follow.
CORE_KEYS = ("filters", "tables", "pipeline", "social_selling", "proposals", "content",
             "channels", "channel_focus", "compensation")


@cache
def report_sections() -> tuple[ReportSection, ...]:
    """Every registered section, once every family module of kpi.metrics is imported."""
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        importlib.import_module(f"{__package__}.{module.name}")
    return tuple(REPORT_SECTIONS.values())


def compute_report(
    con: Engine,
    filters: Filters,
    ranking_metric: RankingMetric = "revenue_per_closed",
) -> dict[str, Any]:
    """The report: resolved filters, table sizes and every family's figures."""
    scope = make_scope(con, filters)
    resolved = scope.filters
    channel_result = compute_channels(con, resolved, ranking_metric)
    comp = compute_compensation(con, resolved)
    return {
        "filters": resolved.model_dump(mode="json"),
        "tables": row_counts(con),
        "pipeline": pipeline_for_scope(con, scope).figures(),
        "social_selling": compute_social_selling(con, resolved).figures(),
        "proposals": compute_proposals(con, resolved).figures(),
        "content": compute_content(con, resolved).figures(),
        "channels": [row.model_dump(mode="json") for row in channel_result.channels],
        "channel_focus": channel_result.focus.channel_ids(),
        "compensation": comp.figures(),
        **{section.key: section.compute(con, scope) for section in report_sections()},
    }
