"""Social selling: the funnel of one social network and its deal value against the others.

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
"""

from __future__ import annotations

import streamlit as st

from kpi import charts
from kpi.i18n import format_money, format_number, format_percent, t
from kpi.metrics import compute_social_selling
from kpi.schema import SOCIAL_CHANNELS, TableKind
from kpi.ui import kpi_page, sidebar
from kpi.ui.context import PageContext
from kpi.ui.kpi_page import Card, Column

MONTH_COLUMNS = (
    Column("month", "col.month", "month"),
    Column("leads", "social.stage.leads"),
    Column("deals_created", "kpi.deals_created"),
    Column("customers", "social.stage.customers"),
    Column("lead_to_customer_rate", "kpi.lead_to_customer_rate", "percent"),
)
REP_COLUMNS = (Column("owner", "col.rep", "text"),) + MONTH_COLUMNS[1:]
CHANNEL_COLUMNS = (
    Column("channel", "col.channel", "channel"),
    Column("won", "kpi.won_deals"),
    Column("won_revenue", "kpi.won_revenue", "money"),
    Column("avg_deal_value", "kpi.avg_deal_value", "money"),
)


def render(page: PageContext) -> None:
    ws, lang = page.workspace, page.lang
    kpi_page.header(page, "social", "social-selling")
    if kpi_page.empty_state(ws, TableKind.DEALS, lang):
        return
    network = sidebar.linked(
        st.selectbox, "network", SOCIAL_CHANNELS[0],
        sidebar.one_of(SOCIAL_CHANNELS, charts.channel_label),
        t("social.network", lang), SOCIAL_CHANNELS,
        format_func=lambda c: charts.channel_label(c, lang),
    ) or SOCIAL_CHANNELS[0]
    money = kpi_page.currency(page)
    filters = kpi_page.resolved(ws, page.filters).model_copy(update={"social_channel": network})
    result = compute_social_selling(ws.con, filters)
    notes = []
    if result.leads_source == "deals":
        notes.append(t("social.no_leads_table", lang))
    if page.filters.channels:
        notes.append(t("social.channel_filter_ignored", lang))
    for note in notes:
        st.caption(note)
    if result.leads == 0 and result.deals_created == 0 and not result.by_channel:
        kpi_page.no_rows(lang)
        return

    name = charts.channel_label(network, lang)
    diff = None
    if result.avg_deal_value is not None and result.avg_deal_value_other is not None:
        diff = kpi_page.delta_money(result.avg_deal_value, result.avg_deal_value_other, lang,
                                    money)
    kpi_page.cards([
        Card(t("social.leads_from", lang, channel=name), format_number(result.leads, lang),
             help=t("help.social_leads", lang)),
        Card(t("kpi.deals_created", lang), format_number(result.deals_created, lang)),
        Card(t("social.stage.customers", lang), format_number(result.customers, lang)),
        Card(t("kpi.lead_to_customer_rate", lang),
             format_percent(result.lead_to_customer_rate, lang)),
        Card(t("social.avg_deal_value_of", lang, channel=name),
             format_money(result.avg_deal_value, lang, money), diff,
             delta_description=t("social.vs_other_channels", lang,
                                 value=format_money(result.avg_deal_value_other, lang, money)),
             help=t("help.avg_deal_value", lang)),
        Card(t("social.avg_deal_value_other", lang),
             format_money(result.avg_deal_value_other, lang, money)),
    ], per_row=3)

    left, right = st.columns(2)
    with left:
        st.subheader(t("social.funnel", lang, channel=name))
        kpi_page.chart(charts.social_funnel, result, lang, money, key="social-funnel",
                       alt_text=t("social.funnel", lang, channel=name))
    with right:
        st.subheader(t("social.value_vs_channels", lang))
        if any(c.avg_deal_value is not None for c in result.by_channel):
            kpi_page.chart(charts.deal_value_by_channel, result, lang, money, key="social-value",
                           alt_text=t("social.value_vs_channels", lang))
        else:
            st.caption(t("social.no_won", lang))
    kpi_page.rows_behind(kpi_page.dump(result.by_channel), CHANNEL_COLUMNS, lang, money,
                         key="social-channels", file_name="deal-value-by-channel.csv")

    st.subheader(t("social.by_month", lang, channel=name))
    if result.by_month:
        kpi_page.chart(charts.social_by_month, result, lang, money, key="social-months",
                       alt_text=t("social.by_month", lang, channel=name))
    else:
        st.caption(t("social.nothing_created", lang, channel=name))
    kpi_page.rows_behind(kpi_page.dump(result.by_month), MONTH_COLUMNS, lang, money,
                         key="social-months-rows", file_name=f"{network}-by-month.csv")
    st.subheader(t("social.by_rep", lang))
    kpi_page.rows_table(kpi_page.dump(result.by_rep), REP_COLUMNS, lang, money,
                        key="social-reps", file_name=f"{network}-by-rep.csv")
