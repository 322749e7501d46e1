"""Overview: the classic three (win rate, deal value, sales cycle), revenue, open pipeline
and its ageing (open deals by age and stage, stalled deals).

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from kpi import charts
from kpi.i18n import format_money, format_number, format_percent, t
from kpi.metrics import PipelineResult, compute_pipeline
from kpi.metrics.ageing import AgeingResult, Band, compute_ageing
from kpi.metrics.period import year_ago
from kpi.schema import Filters, TableKind
from kpi.ui import kpi_page
from kpi.ui.context import PageContext
from kpi.ui.kpi_page import Card, Column
from kpi.workspace import Workspace

MONTH_COLUMNS = (
    Column("month", "col.month", "month"),
    Column("closed", "kpi.closed"),
    Column("won", "kpi.won_deals"),
    Column("lost", "kpi.lost_deals"),
    Column("win_rate", "kpi.win_rate", "percent"),
    Column("won_revenue", "kpi.won_revenue", "money"),
)
REP_COLUMNS = (
    Column("owner", "col.rep", "text"),
    Column("closed", "kpi.closed"),
    Column("won", "kpi.won_deals"),
    Column("win_rate", "kpi.win_rate", "percent"),
    Column("won_revenue", "kpi.won_revenue", "money"),
    Column("avg_deal_value", "kpi.avg_deal_value", "money"),
    Column("open_deals", "kpi.open_deals"),
    Column("open_pipeline_value", "kpi.open_pipeline", "money"),
)
STALLED_COLUMNS = (
    Column("deal_name", "col.deal", "text"),
    Column("owner", "col.rep", "text"),
    Column("stage", "deal_ageing.stage", "text"),
    Column("amount", "col.amount", "money"),
    Column("created_at", "col.created_at", "date"),
    Column("age_days", "deal_ageing.age_days", "days"),
)


def _year_earlier(workspace: Workspace, filters: Filters) -> PipelineResult | None:
    """The same period a year earlier (None before year 2)."""
    try:
        return compute_pipeline(workspace.con, year_ago(filters))
    except ValueError:
        return None


def _comparisons(now: PipelineResult, earlier: PipelineResult | None, lang: str) -> None:
    """Say which periods the changes and the year-on-year figures beside them compare with."""
    lines = []
    if now.previous is not None:
        key = "overview.compared" if now.previous.closed else "overview.no_previous"
        lines.append(t(key, lang, previous=kpi_page.period_caption(now.previous.filters, lang)))
    if earlier is not None:
        key = "overview.year_compared" if earlier.closed else "overview.no_year"
        lines.append(t(key, lang, year=kpi_page.period_caption(earlier.filters, lang)))
    if lines:
        st.caption("  \n".join(lines))


def render(page: PageContext) -> None:
    ws, lang = page.workspace, page.lang
    kpi_page.header(page, "overview", "pipeline")
    if kpi_page.empty_state(ws, TableKind.DEALS, lang):
        return
    money = kpi_page.currency(page)
    filters = kpi_page.resolved(ws, page.filters)
    now = compute_pipeline(ws.con, filters, with_previous=True)  # one query for both periods
    if now.closed == 0 and now.open_deals == 0:
        kpi_page.no_rows(lang)
        return
    before = now.previous if now.previous is not None and now.previous.closed else None
    earlier = _year_earlier(ws, filters)
    year = earlier if earlier is not None and earlier.closed else None

    def changes(field: str, delta: Callable[[Any, Any], str | None]) -> dict[str, str | None]:
        """The change against the period before, and year on year beside it (captions say which)."""
        current = getattr(now, field)
        yoy = delta(current, None if year is None else getattr(year, field))
        return {"delta": delta(current, None if before is None else getattr(before, field)),
                "delta_description": None if yoy is None else t("overview.yoy", lang, delta=yoy)}

    def points(a: float | None, b: float | None) -> str | None:
        return kpi_page.delta_points(a, b, lang)

    def amount(a: float | None, b: float | None) -> str | None:
        return kpi_page.delta_money(a, b, lang, money)

    def days(a: float | None, b: float | None) -> str | None:
        return kpi_page.delta_days(a, b, lang)

    kpi_page.cards([
        Card(t("kpi.win_rate", lang), format_percent(now.win_rate, lang),
             **changes("win_rate", points),
             help=t("help.win_rate", lang, won=format_number(now.won, lang),
                    closed=format_number(now.closed, lang))),
        Card(t("kpi.avg_deal_value", lang), format_money(now.avg_deal_value, lang, money),
             **changes("avg_deal_value", amount), help=t("help.avg_deal_value", lang)),
        Card(t("kpi.avg_cycle_days", lang), kpi_page.days(now.avg_cycle_days, lang),
             **changes("avg_cycle_days", days), delta_color="inverse",
             help=t("help.cycle", lang)),
        Card(t("kpi.median_cycle_days", lang), kpi_page.days(now.median_cycle_days, lang),
             **changes("median_cycle_days", days), delta_color="inverse",
             help=t("help.cycle", lang)),
        Card(t("kpi.won_revenue", lang), format_money(now.won_revenue, lang, money),
             **changes("won_revenue", amount)),
        Card(t("kpi.closed", lang), format_number(now.closed, lang),
             help=t("help.closed", lang, won=format_number(now.won, lang),
                    lost=format_number(now.lost, lang))),
        Card(t("kpi.open_pipeline", lang), format_money(now.open_pipeline_value, lang, money),
             help=t("help.open_pipeline", lang)),
        Card(t("kpi.open_deals", lang), format_number(now.open_deals, lang)),
    ])
    _comparisons(now, earlier, lang)  # under the cards: on a phone they come first

    left, right = st.columns(2)
    with left:
        st.subheader(t("overview.revenue_by_month", lang))
        kpi_page.chart(charts.won_revenue_by_month, now, lang, money, key="overview-revenue",
                       alt_text=t("overview.revenue_by_month", lang))
    with right:
        st.subheader(t("overview.win_rate_by_month", lang))
        kpi_page.chart(charts.win_rate_by_month, now, lang, money, key="overview-win-rate",
                       alt_text=t("overview.win_rate_by_month", lang))
        note = t("overview.point_size", lang)
        if charts.has_low_volume_months(now):
            note += " " + t("overview.low_volume", lang,
                            n=format_number(charts.LOW_VOLUME_CLOSED, lang))
        st.caption(note)
    kpi_page.rows_behind(kpi_page.dump(now.by_month), MONTH_COLUMNS, lang, money,
                         key="overview-months", file_name="pipeline-by-month.csv")

    st.subheader(t("overview.open_by_rep", lang))
    if now.open_deals:
        kpi_page.chart(charts.open_pipeline_by_rep, now, lang, money,
                       key="overview-open", alt_text=t("overview.open_by_rep", lang))
    else:
        st.caption(t("overview.no_open", lang))
    kpi_page.rows_behind(kpi_page.dump(now.by_rep), REP_COLUMNS, lang, money,
                         key="overview-reps", file_name="pipeline-by-rep.csv")
    _ageing(ws, filters, lang, money)


def _band(band: Band, lang: str) -> str:
    """'31–60 days' / 'Over 180 days' in the language."""
    if band.last_day is None:
        return t("deal_ageing.band_over", lang, n=format_number(band.first_day - 1, lang))
    return t("deal_ageing.band", lang, first=format_number(band.first_day, lang),
             last=format_number(band.last_day, lang))


def _ageing_cards(result: AgeingResult, lang: str, money: str) -> None:
    limit = (t("report.na", lang) if result.stall_limit is None
             else kpi_page.days(result.stall_limit, lang))
    kpi_page.cards([
        Card(t("deal_ageing.open_deals", lang), format_number(result.open_deals, lang)),
        Card(t("deal_ageing.stall_limit", lang), limit,
             help=t("deal_ageing.stall_limit_help", lang)),
        Card(t("deal_ageing.stalled", lang), format_number(result.stalled, lang)),
        Card(t("deal_ageing.stalled_value", lang), format_money(result.stalled_value, lang,
                                                                money)),
    ])


def _ageing(workspace: Workspace, filters: Filters, lang: str, money: str) -> None:
    """Open deals by age band and stage at the period's end; the stalled ones listed
    (docs/kpis/deal-ageing.md)."""
    kpi_page.section("deal_ageing", "deal-ageing", lang)
    result = compute_ageing(workspace.con, filters)
    if not result.open_deals:
        st.caption(t("overview.no_open", lang))
        return
    _ageing_cards(result, lang, money)
    no_stage = t("deal_ageing.no_stage", lang)
    rows = [{"band": _band(cell, lang), "stage": cell.stage or no_stage,
             "open_deals": cell.open_deals} for cell in result.cells]
    st.subheader(t("deal_ageing.chart", lang))
    kpi_page.chart(charts.measure_bars, rows, "band", "open_deals", "count",
                                       t("deal_ageing.open_deals", lang), lang, money,
                                       stack="stage",
                   key="overview-ageing", alt_text=t("deal_ageing.chart", lang))
    if result.stall_limit is None:
        st.caption(t("deal_ageing.no_limit", lang))
        return
    st.subheader(t("deal_ageing.stalled_list", lang))
    kpi_page.rows_table(kpi_page.dump(result.stalled_deals), STALLED_COLUMNS, lang, money,
                        key="overview-stalled", file_name="stalled-deals.csv")
