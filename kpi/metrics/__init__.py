"""The KPI engine: one function per KPI family over a DuckDB workspace.

Every function takes `(con, filters)` and returns a small pydantic model with
the KPI_SPEC §5 headline figures and aggregated series for the charts.
Definitions in plain words: docs/kpis.md.
"""

from .channels import (
    RANKING_METRICS,
    ChannelFocus,
    ChannelRow,
    ChannelsResult,
    FocusItem,
    FocusReason,
    RankingMetric,
    channel_focus,
    channels,
)
from .compensation import CompensationResult, RepPackage, compensation
from .content import ContentResult, content
from .period import data_span, previous_period, resolve_period
from .pipeline import PipelineResult, pipeline
from .proposals import DEFAULT_DECISION_DAYS, ProposalsResult, proposals
from .report import compute_report, table_counts
from .social import SocialResult, social_selling

__all__ = [
    "DEFAULT_DECISION_DAYS",
    "RANKING_METRICS",
    "ChannelFocus",
    "ChannelRow",
    "ChannelsResult",
    "CompensationResult",
    "ContentResult",
    "FocusItem",
    "FocusReason",
    "PipelineResult",
    "ProposalsResult",
    "RankingMetric",
    "RepPackage",
    "SocialResult",
    "channel_focus",
    "channels",
    "compensation",
    "compute_report",
    "content",
    "data_span",
    "pipeline",
    "previous_period",
    "proposals",
    "resolve_period",
    "social_selling",
    "table_counts",
]
