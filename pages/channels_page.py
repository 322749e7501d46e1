"""Channels: conversion, revenue, revenue per closed deal and CAC per channel, and where to focus.

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from kpi import charts
from kpi.i18n import format_money, format_number, format_percent, t
from kpi.metrics import RANKING_METRICS, ChannelsResult, FocusItem, compute_channels
from kpi.schema import TableKind
from kpi.ui import auth, kpi_page, sidebar
from kpi.ui.context import PageContext
from kpi.ui.kpi_page import Card, Column
from pages import data_page

CHANNEL_COLUMNS = (
    Column("channel", "col.channel", "channel"),
    Column("decision", "focus.decision", "text"),
    Column("leads", "social.stage.leads"),
    Column("deals_created", "kpi.deals_created"),
    Column("closed", "kpi.closed"),
    Column("won", "kpi.won_deals"),
    Column("win_rate", "kpi.win_rate", "percent"),
    Column("revenue", "kpi.revenue", "money"),
    Column("avg_deal_value", "kpi.avg_deal_value", "money"),
    Column("revenue_per_closed", "kpi.revenue_per_closed", "money"),
    Column("spend", "kpi.spend", "money"),
    Column("cac", "kpi.cac", "money"),
)
MEASURES = ("revenue_per_closed", "win_rate", "revenue", "closed", "cac")
DATA_PAGE = "data"  # the Data page's URL (app.PAGES), where raw channel values are mapped


def _value(item: FocusItem, lang: str, money: str) -> str:
    value = item.reason.value
    if item.reason.metric == "win_rate":
        return format_percent(value, lang)
    return format_money(value, lang, money)


def reason(item: FocusItem, lang: str, money: str) -> str:
    """The focus decision of one channel as a sentence in the page's language."""
    r = item.reason
    return t(f"focus.reason.{r.code}", lang,
             rank=format_number(r.rank, lang), ranked=format_number(r.ranked, lang),
             metric=t(f"focus.metric.{r.metric}", lang), value=_value(item, lang, money),
             share=format_percent(r.revenue_share, lang, 0),
             top3=format_percent(r.top3_share, lang, 0),
             closed=format_number(r.closed, lang), min=format_number(r.min_closed, lang),
             revenue=format_money(r.revenue, lang, money))


def _focus(result: ChannelsResult, lang: str, money: str, may_map: bool) -> None:
    st.subheader(t("focus.title", lang))
    columns = st.columns(3)
    for column, decision, icon in zip(columns, ("keep", "reduce", "insufficient_data"),
                                      (":material/check_circle:", ":material/trending_down:",
                                       ":material/help:"), strict=True):
        items = getattr(result.focus, decision)
        with column.container(border=True):
            st.markdown(f"**{t(f'focus.{decision}', lang)}** ({format_number(len(items), lang)})")
            if not items:
                st.caption(t("focus.none", lang))
            for item in items:
                st.markdown(f"{icon} **{charts.channel_label(item.channel, lang)}**")
                st.caption(reason(item, lang, money))
    _catch_alls(result.focus.catch_all, lang, money, may_map)


def _catch_alls(items: list[FocusItem], lang: str, money: str, may_map: bool) -> None:
    """`unknown` / `other` apart, with the way to turn their raw values into channels
    (a link to the Data page when the user `may_map` them)."""
    if not items:
        return
    with st.container(border=True):
        st.markdown(f"**{t('focus.catch_all_title', lang)}**")
        for item in items:
            st.markdown(f":material/alt_route: **{charts.channel_label(item.channel, lang)}**")
            st.caption(reason(item, lang, money))
        if may_map:
            st.page_link(st.Page(data_page.render, url_path=DATA_PAGE),
                         label=t("focus.map_sources", lang), icon=":material/edit:",
                         query_params={k: st.query_params.get_all(k) for k in st.query_params})


def _summary(result: ChannelsResult, lang: str, money: str) -> None:
    rows = result.channels
    closed = sum(r.closed for r in rows)
    won = sum(r.won for r in rows)
    revenue = sum(r.revenue for r in rows)
    spends = [r.spend for r in rows if r.spend is not None]
    ranked = len(result.focus.keep) + len(result.focus.reduce)
    items = [
        Card(t("channels.ranked", lang), t("comp.n_of_m", lang, n=format_number(ranked, lang),
                                            m=format_number(len(rows), lang)),
             help=t("channels.min_closed_help", lang)),
        Card(t("kpi.win_rate", lang), format_percent(won / closed if closed else None, lang)),
        Card(t("kpi.revenue", lang), format_money(revenue, lang, money)),
        Card(t("kpi.revenue_per_closed", lang),
             format_money(revenue / closed if closed else None, lang, money)),
    ]
    if spends:
        spend = sum(spends)
        won_with_costs = sum(r.won for r in rows if r.spend is not None)
        items.append(Card(t("kpi.cac", lang), format_money(
            spend / won_with_costs if won_with_costs else None, lang, money),
            help=t("channels.cac_help", lang, spend=format_money(spend, lang, money))))
    kpi_page.cards(items, per_row=3 if len(items) > 4 else 4)


def _rows(result: ChannelsResult, measure: str, lang: str) -> list[dict[str, Any]]:
    """The table's rows in the chart's order, each with its decision as the legend says it."""
    decisions = result.focus.decisions()
    return [{**row.model_dump(), "decision": t(f"focus.{decisions[row.channel]}", lang)}
            for row in result.sorted_by(measure)]


def render(page: PageContext) -> None:
    ws, lang = page.workspace, page.lang
    kpi_page.header(page, "channels", "channels")
    if kpi_page.empty_state(ws, TableKind.DEALS, lang):
        return
    money = kpi_page.currency(page)
    left, right = st.columns(2)
    min_closed = sidebar.linked(
        left.number_input, "min_closed", 10, sidebar.number(1, 100_000, int),
        t("channels.min_closed", lang), min_value=1, max_value=100_000, step=1,
        help=t("channels.min_closed_help", lang))
    rank_by = sidebar.linked(
        right.selectbox, "rank_by", RANKING_METRICS[0],
        sidebar.one_of(RANKING_METRICS, lambda metric, language: t(f"kpi.{metric}", language)),
        t("channels.rank_by", lang), RANKING_METRICS,
        format_func=lambda m: t(f"kpi.{m}", lang)) or RANKING_METRICS[0]
    filters = kpi_page.resolved(ws, page.filters).model_copy(
        update={"min_closed": int(min_closed or 10)})
    result = compute_channels(ws.con, filters, rank_by)
    if not any(r.closed or r.deals_created or r.leads for r in result.channels):
        kpi_page.no_rows(lang)
        return
    _summary(result, lang, money)
    _focus(result, lang, money, auth.may_open(page.user, DATA_PAGE))

    has_costs = any(r.spend is not None for r in result.channels)
    measures = [m for m in MEASURES if m != "cac" or has_costs]
    st.subheader(t("channels.by_channel", lang))
    measure = sidebar.linked(
        st.segmented_control, "channel_measure", rank_by if rank_by in measures else measures[0],
        sidebar.one_of(measures), t("channels.measure", lang), measures,
        format_func=lambda m: t(f"kpi.{m}", lang), required=True) or rank_by
    if not has_costs:
        st.caption(t("channels.no_costs", lang))
    picked = sidebar.linked_selection("selected_channel", "channel-chart",
                                      charts.CHANNEL_SELECTION, "channel",
                                      [r.channel for r in result.channels])
    kpi_page.chart(charts.channel_measure, result, measure, lang, money, selected=picked,
                   key="channel-chart", selectable=True, alt_text=t("channels.by_channel", lang))

    rows = _rows(result, measure, lang)
    if picked:
        names = ", ".join(charts.channel_label(c, lang) for c in picked)
        st.subheader(t("channels.drilldown", lang, channels=names))
        kpi_page.rows_table([r for r in rows if r["channel"] in picked], CHANNEL_COLUMNS, lang,
                            money, key="channels-picked", file_name="channels-selected.csv")
        kpi_page.deal_pages(ws.con, filters.model_copy(update={"channels": picked}),
                            won_only=False, caption="channels.deals_closed", lang=lang,
                            currency_code=money, key="channels-deals",
                            file_name="channel-deals.csv")
    else:
        st.caption(t("channels.click_hint", lang))
        kpi_page.rows_behind(rows, CHANNEL_COLUMNS, lang, money, key="channels-rows",
                             file_name="channels.csv", expanded=True)
