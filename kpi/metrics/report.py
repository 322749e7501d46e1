"""Every KPI of docs/kpis.md as JSON (docs/report-command.md) (the caller adds "import").

This is what `python -m kpi report` prints and what a published snapshot can
store, so it holds the headline figures only (no chart series), at full
precision, with None for undefined ratios.
"""

from __future__ import annotations

from typing import Any

import duckdb

from kpi.schema import Filters

from ._common import make_scope
from .channels import RankingMetric, compute_channels
from .compensation import compute_compensation
from .content import compute_content
from .pipeline import pipeline_for_scope
from .proposals import compute_proposals
from .social import compute_social_selling

_COUNTS_SQL = """
SELECT (SELECT count(*) FROM "deals") AS deals,
       (SELECT count(*) FROM "leads") AS leads,
       (SELECT count(*) FROM "proposals") AS proposals,
       (SELECT count(*) FROM "content") AS content,
       (SELECT count(*) FROM "compensation") AS compensation,
       (SELECT count(*) FROM "channel_costs") AS channel_costs
"""


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per canonical table (0 = that export was not uploaded)."""
    cursor = con.execute(_COUNTS_SQL)
    names = [column[0] for column in cursor.description or []]
    row = cursor.fetchone() or ()
    return {name: int(value) for name, value in zip(names, row, strict=True)}


def compute_report(
    con: duckdb.DuckDBPyConnection,
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
        "tables": table_counts(con),
        "pipeline": pipeline_for_scope(con, scope).figures(),
        "social_selling": compute_social_selling(con, resolved).figures(),
        "proposals": compute_proposals(con, resolved).figures(),
        "content": compute_content(con, resolved).figures(),
        "channels": [row.model_dump(mode="json") for row in channel_result.channels],
        "channel_focus": channel_result.focus.channel_ids(),
        "compensation": comp.figures(),
    }
