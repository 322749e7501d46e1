"""The KPI engine: one function per KPI family over a DuckDB workspace.

Every function takes `(con, filters)` and returns a small pydantic model with
the docs/kpis/ headline figures and aggregated series for the charts.
Definitions in plain words: docs/kpis/.
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
    compute_channels,
)
from .compensation import CompensationResult, RepPackage, compute_compensation
from .content import ContentResult, compute_content
from .currency import CurrencyCount, currencies, default_currency
from .left_out import LeftOut, left_out
from .period import data_span, previous_period, resolve_period
from .pipeline import PipelineResult, closed_deals, compute_pipeline, count_closed_deals
from .proposals import DEFAULT_DECISION_DAYS, ProposalsResult, compute_proposals
from .report import compute_report
from .social import SocialResult, compute_social_selling

__all__ = [
    "DEFAULT_DECISION_DAYS",
    "RANKING_METRICS",
    "ChannelFocus",
    "ChannelRow",
    "ChannelsResult",
    "CompensationResult",
    "ContentResult",
    "CurrencyCount",
    "FocusItem",
    "FocusReason",
    "LeftOut",
    "PipelineResult",
    "ProposalsResult",
    "RankingMetric",
    "RepPackage",
    "SocialResult",
    "channel_focus",
    "closed_deals",
    "compute_channels",
    "compute_compensation",
    "compute_content",
    "compute_pipeline",
    "compute_proposals",
    "compute_report",
    "compute_social_selling",
    "count_closed_deals",
    "currencies",
    "data_span",
    "default_currency",
    "left_out",
    "previous_period",
    "resolve_period",
]
