"""Marketing content: deck usage on the deals worked, what reps share and post, engagement.

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
"""

from __future__ import annotations

import streamlit as st

from kpi import charts
from kpi.i18n import format_number, format_percent, t
from kpi.metrics import compute_content
from kpi.schema import TableKind
from kpi.ui import kpi_page
from kpi.ui.context import PageContext
from kpi.ui.kpi_page import Card, Column

REP_COLUMNS = (
    Column("owner", "col.rep", "text"),
    Column("deals_worked", "kpi.deals_worked"),
    Column("deals_with_content", "kpi.deals_with_content"),
    Column("usage_rate", "kpi.usage_rate", "percent"),
    Column("decks_shared", "kpi.decks_shared"),
    Column("articles_shared", "kpi.articles_shared"),
    Column("own_posts", "kpi.own_posts"),
    Column("views", "kpi.views"),
    Column("likes", "kpi.likes"),
)
MONTH_COLUMNS = (Column("month", "col.month", "month"),) + REP_COLUMNS[1:]


def render(page: PageContext) -> None:
    ws, lang = page.workspace, page.lang
    kpi_page.header(page, "content", "marketing-content")
    if kpi_page.empty_state(ws, TableKind.CONTENT, lang):
        return
    money = kpi_page.currency(page)
    filters = kpi_page.resolved(ws, page.filters)
    result = compute_content(ws.con, filters)
    events = result.decks_shared + result.articles_shared + result.own_posts
    if events == 0 and result.deals_worked == 0:
        kpi_page.no_rows(lang)
        return

    kpi_page.cards([
        Card(t("kpi.usage_rate", lang), format_percent(result.usage_rate, lang),
             help=t("help.usage_rate", lang, n=format_number(result.deals_with_content, lang),
                    total=format_number(result.deals_worked, lang))),
        Card(t("kpi.decks_shared", lang), format_number(result.decks_shared, lang)),
        Card(t("kpi.articles_shared", lang), format_number(result.articles_shared, lang)),
        Card(t("kpi.own_posts", lang), format_number(result.own_posts, lang)),
        Card(t("kpi.views", lang), format_number(result.views, lang)),
        Card(t("kpi.likes", lang), format_number(result.likes, lang)),
    ], per_row=3)
    if not result.has_deal_links:
        st.caption(t("content.no_deal_links", lang))

    left, right = st.columns(2)
    with left:
        st.subheader(t("content.usage_by_rep", lang))
        if any(r.usage_rate is not None for r in result.by_rep):
            kpi_page.chart(charts.usage_by_rep, result, lang, money,
                           key="content-usage", alt_text=t("content.usage_by_rep", lang))
        else:
            st.caption(t("content.no_usage", lang))
    with right:
        st.subheader(t("content.mix_by_rep", lang))
        if events:
            kpi_page.chart(charts.content_mix_by_rep, result, lang, money, key="content-mix",
                           alt_text=t("content.mix_by_rep", lang))
        else:
            st.caption(t("content.no_events", lang))
    kpi_page.rows_behind(kpi_page.dump(result.by_rep), REP_COLUMNS, lang, money,
                         key="content-reps", file_name="content-by-rep.csv")

    st.subheader(t("content.engagement", lang))
    if charts.engagement_reps(result):
        st.caption(t("content.engagement_months", lang))
        views, likes = st.tabs([t("kpi.views", lang), t("kpi.likes", lang)])
        with views:
            kpi_page.chart(charts.engagement_by_rep, result, lang, "views", money,
                           key="content-views", alt_text=t("kpi.views", lang))
        with likes:
            kpi_page.chart(charts.engagement_by_rep, result, lang, "likes", money,
                           key="content-likes", alt_text=t("kpi.likes", lang))
    else:
        st.caption(t("content.no_events", lang))
    kpi_page.rows_behind(kpi_page.dump(result.by_month), MONTH_COLUMNS, lang, money,
                         key="content-months", file_name="content-by-month.csv")
