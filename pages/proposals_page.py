"""Proposals & forecast: sent / won / lost / pending, conversion by rep, pending forecast.

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from kpi import charts
from kpi.i18n import format_date, format_money, format_number, format_percent, t, t_count
from kpi.metrics import ProposalsResult, compute_proposals
from kpi.metrics.proposals import has_proposals
from kpi.schema import TableKind
from kpi.ui import kpi_page
from kpi.ui.context import PageContext
from kpi.ui.kpi_page import Card, Column

GROUP_COLUMNS = (
    Column("sent", "proposals.sent"),
    Column("won", "proposals.won"),
    Column("lost", "proposals.lost"),
    Column("pending", "proposals.pending"),
    Column("conversion_rate", "kpi.conversion_rate", "percent"),
    Column("pending_value", "proposals.pending_value", "money"),
)
MONTH_COLUMNS = (Column("month", "col.month_sent", "month"),) + GROUP_COLUMNS
REP_COLUMNS = (Column("owner", "col.rep", "text"),) + GROUP_COLUMNS
FORECAST_COLUMNS = (
    Column("expected", "col.expected", "text"),
    Column("pending", "proposals.pending"),
    Column("pending_value", "proposals.pending_value", "money"),
    Column("forecast_revenue", "proposals.forecast_revenue", "money"),
)


def _ageing(result: ProposalsResult, lang: str, money: str) -> None:
    """How pending proposals are placed: when expected, the stale limit, what is apart."""
    source = "median" if result.decision_days_source == "median" else "default"
    as_of = "data" if result.as_of and result.as_of < date.today() else "today"
    lines = [t(f"proposals.decision_days.{source}", lang,
               n=format_number(result.decision_days, lang)),
             t(f"proposals.stale_limit.{result.stale_days_source}", lang,
               n=format_number(result.stale_days, lang),
               measured=format_number(result.measured_stale_days, lang)),
             t(f"proposals.as_of.{as_of}", lang, date=format_date(result.as_of, lang))]
    st.caption("  \n".join(lines))
    if result.overdue:
        st.caption(t_count("proposals.overdue", result.overdue, lang,
                           value=format_money(result.overdue_value, lang, money)))
    if result.stale:
        st.warning(t_count("proposals.stale", result.stale, lang,
                           value=format_money(result.stale_value, lang, money),
                           days=format_number(result.stale_days, lang)) + " "
                   + t("proposals.stale_in" if result.include_stale else "proposals.stale_out",
                       lang), icon=":material/hourglass_disabled:")


def render(page: PageContext) -> None:
    ws, lang = page.workspace, page.lang
    kpi_page.header(page, "proposals", "proposals-and-forecast")
    if kpi_page.empty_state(ws, TableKind.PROPOSALS, lang,
                            present=ws.remembered("has_proposals", lambda: has_proposals(ws.con))):
        return
    money = kpi_page.currency(page)
    filters = kpi_page.resolved(ws, page.filters)
    result = compute_proposals(ws.con, filters)
    if result.source == "deals":
        st.caption(t("proposals.from_deals", lang))
    if result.sent == 0:
        kpi_page.no_rows(lang)
        return
    left, right = st.columns(2)
    stale_days = left.number_input(
        t("proposals.stale_days", lang), min_value=1, max_value=3650, value=None, step=1,
        placeholder=format_number(result.measured_stale_days, lang), key="stale_days",
        bind="query-params", help=t("proposals.stale_days_help", lang))
    include_stale = right.toggle(t("proposals.include_stale", lang), key="include_stale",
                                 bind="query-params")
    if stale_days is not None or include_stale:
        result = compute_proposals(ws.con, filters, stale_days=stale_days,
                                   include_stale=include_stale)

    kpi_page.cards([
        Card(t("proposals.sent", lang), format_number(result.sent, lang)),
        Card(t("proposals.won", lang), format_number(result.won, lang)),
        Card(t("proposals.lost", lang), format_number(result.lost, lang)),
        Card(t("proposals.pending", lang), format_number(result.pending, lang),
             help=t("help.pending_value", lang,
                    value=format_money(result.pending_value, lang, money))),
        Card(t("kpi.conversion_rate", lang), format_percent(result.conversion_rate, lang),
             help=t("help.conversion_rate", lang)),
        Card(t("proposals.forecast_revenue", lang),
             format_money(result.forecast_revenue, lang, money),
             help=t("help.forecast" if result.include_stale else "help.forecast_stale_out",
                    lang, value=format_money(result.forecast_base, lang, money),
                    rate=format_percent(result.conversion_rate, lang))),
    ], per_row=3)

    st.subheader(t("proposals.by_month", lang))
    kpi_page.chart(charts.proposals_by_month, result, lang, money, key="proposals-months",
                   alt_text=t("proposals.by_month", lang))
    kpi_page.rows_behind(kpi_page.dump(result.by_month), MONTH_COLUMNS, lang, money,
                         key="proposals-months-rows", file_name="proposals-by-month.csv")

    left, right = st.columns(2)
    with left:
        st.subheader(t("proposals.by_rep", lang))
        if any(r.conversion_rate is not None for r in result.by_rep):
            kpi_page.chart(charts.conversion_by_rep, result, lang, money,
                           key="proposals-reps", alt_text=t("proposals.by_rep", lang))
        else:
            st.caption(t("proposals.none_decided", lang))
        kpi_page.rows_behind(kpi_page.dump(result.by_rep), REP_COLUMNS, lang, money,
                             key="proposals-reps-rows", file_name="proposals-by-rep.csv")
    with right:
        st.subheader(t("proposals.forecast", lang))
        _ageing(result, lang, money)
        if result.forecast:
            kpi_page.chart(charts.forecast_by_month, result, lang, money,
                           key="proposals-forecast", alt_text=t("proposals.forecast", lang))
        else:
            st.caption(t("proposals.none_pending", lang))
        rows = [{**b.model_dump(), "expected": charts.forecast_slot(b.bucket, b.month, lang)}
                for b in result.forecast]
        kpi_page.rows_behind(rows, FORECAST_COLUMNS, lang, money,
                             key="proposals-forecast-rows", file_name="forecast-by-month.csv")
