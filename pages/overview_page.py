"""Overview: the classic three (win rate, deal value, sales cycle), revenue and open pipeline.

Only defines `render()`: app.py registers it with st.navigation (DESIGN.md).
"""

from __future__ import annotations

import streamlit as st

from kpi import charts
from kpi.i18n import format_money, format_number, format_percent, t
from kpi.metrics import compute_pipeline
from kpi.schema import TableKind
from kpi.ui import context, kpi_page
from kpi.ui.kpi_page import Card, Column

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


def render() -> None:
    page = context.current()
    ws, lang = page.workspace, page.lang
    kpi_page.header("overview", "pipeline", lang)
    if kpi_page.empty_state(ws, TableKind.DEALS, lang):
        return
    money = kpi_page.currency(ws)
    filters = kpi_page.resolved(ws, page.filters)
    now = compute_pipeline(ws.con, filters, with_previous=True)  # one query for both periods
    if now.closed == 0 and now.open_deals == 0:
        kpi_page.no_rows(lang)
        return
    before = now.previous if now.previous is not None and now.previous.closed else None
    period = kpi_page.period_caption(filters, lang)
    if before is None:
        st.caption(t("overview.no_previous", lang, period=period))
    else:
        st.caption(t("overview.compared", lang, period=period,
                     previous=kpi_page.period_caption(before.filters, lang)))

    def was(field: str) -> float | None:
        """The figure over the previous period (the caption names it: no delta description)."""
        return None if before is None else getattr(before, field)

    kpi_page.cards([
        Card(t("kpi.win_rate", lang), format_percent(now.win_rate, lang),
             kpi_page.delta_points(now.win_rate, was("win_rate"), lang),
             help=t("help.win_rate", lang, won=format_number(now.won, lang),
                    closed=format_number(now.closed, lang))),
        Card(t("kpi.avg_deal_value", lang), format_money(now.avg_deal_value, lang, money),
             kpi_page.delta_money(now.avg_deal_value, was("avg_deal_value"), lang, money),
             help=t("help.avg_deal_value", lang)),
        Card(t("kpi.avg_cycle_days", lang), kpi_page.days(now.avg_cycle_days, lang),
             kpi_page.delta_days(now.avg_cycle_days, was("avg_cycle_days"), lang),
             delta_color="inverse", help=t("help.cycle", lang)),
        Card(t("kpi.median_cycle_days", lang), kpi_page.days(now.median_cycle_days, lang),
             kpi_page.delta_days(now.median_cycle_days, was("median_cycle_days"), lang),
             delta_color="inverse", help=t("help.cycle", lang)),
        Card(t("kpi.won_revenue", lang), format_money(now.won_revenue, lang, money),
             kpi_page.delta_money(now.won_revenue, was("won_revenue"), lang, money)),
        Card(t("kpi.closed", lang), format_number(now.closed, lang),
             help=t("help.closed", lang, won=format_number(now.won, lang),
                    lost=format_number(now.lost, lang))),
        Card(t("kpi.open_pipeline", lang), format_money(now.open_pipeline_value, lang, money),
             help=t("help.open_pipeline", lang)),
        Card(t("kpi.open_deals", lang), format_number(now.open_deals, lang)),
    ])

    left, right = st.columns(2)
    with left:
        st.subheader(t("overview.revenue_by_month", lang))
        kpi_page.chart(charts.won_revenue_by_month(now, lang, money), key="overview-revenue",
                       alt_text=t("overview.revenue_by_month", lang))
    with right:
        st.subheader(t("overview.win_rate_by_month", lang))
        kpi_page.chart(charts.win_rate_by_month(now, lang, money), key="overview-win-rate",
                       alt_text=t("overview.win_rate_by_month", lang))
    kpi_page.rows_behind(kpi_page.dump(now.by_month), MONTH_COLUMNS, lang, money,
                         key="overview-months", file_name="pipeline-by-month.csv")

    st.subheader(t("overview.open_by_rep", lang))
    if now.open_deals:
        kpi_page.chart(charts.open_pipeline_by_rep(now, lang, money, kpi_page.rep_colors(ws)),
                       key="overview-open", alt_text=t("overview.open_by_rep", lang))
    else:
        st.caption(t("overview.no_open", lang))
    kpi_page.rows_behind(kpi_page.dump(now.by_rep), REP_COLUMNS, lang, money,
                         key="overview-reps", file_name="pipeline-by-rep.csv")
