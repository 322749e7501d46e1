"""Packages vs revenue: what each rep brings for what they cost, against a target multiple;
then quota attainment: what each rep won against their quota.

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
"""

from __future__ import annotations

import streamlit as st

from kpi import charts
from kpi.i18n import format_money, format_multiple, format_number, format_percent, t
from kpi.metrics import compute_compensation
from kpi.metrics.quotas import compute_quotas
from kpi.schema import Filters, TableKind
from kpi.ui import kpi_page, sidebar
from kpi.ui.context import PageContext
from kpi.ui.kpi_page import Card, Column
from kpi.ui.markdown import escape

DEFAULT_TARGET = 3.0
REP_COLUMNS = (
    Column("owner", "col.rep", "text"),
    Column("package", "kpi.package", "money"),
    Column("revenue", "kpi.won_revenue", "money"),
    Column("ratio", "kpi.ratio", "multiple"),
    Column("meets_target", "comp.meets_target", "bool"),
)
QUOTA_COLUMNS = (
    Column("owner", "col.rep", "text"),
    Column("period_start", "quota_attainment.period_start", "date"),
    Column("period_end", "quota_attainment.period_end", "date"),
    Column("target", "quota_attainment.target", "money"),
    Column("won_revenue", "quota_attainment.won_revenue", "money"),
    Column("attainment", "quota_attainment.attainment", "percent"),
)


TARGETS = tuple(step / 2 for step in range(1, 21))  # 0.5x to 10x, by halves


def _target_in_steps(codes: list[str]) -> float | None:
    """A target from the link, when it is one of the slider's steps."""
    value = sidebar.number(TARGETS[0], TARGETS[-1], float)(codes)
    return value if value in TARGETS else None


def render(page: PageContext) -> None:
    ws, lang = page.workspace, page.lang
    kpi_page.header(page, "comp", "packages-vs-revenue")
    money = kpi_page.currency(page)
    filters = kpi_page.resolved(ws, page.filters)
    if not kpi_page.empty_state(ws, TableKind.COMPENSATION, lang):
        _packages(page, filters, money)
    kpi_page.section("quota_attainment", "quota-attainment", lang)
    if not kpi_page.empty_state(ws, TableKind.QUOTAS, lang):
        _quotas(page, filters, money)


def _quotas(page: PageContext, filters: Filters, money: str) -> None:
    """Each rep's won revenue against their quota (docs/kpis/quota-attainment.md)."""
    lang = page.lang
    result = compute_quotas(page.workspace.con, filters)
    if not result.quotas:
        st.caption(t("quota_attainment.no_quota", lang))
        return
    kpi_page.cards([
        Card(t("quota_attainment.team_attainment", lang),
             format_percent(result.team_attainment, lang)),
        Card(t("quota_attainment.won_revenue", lang), format_money(result.won_revenue, lang,
                                                                   money)),
        Card(t("quota_attainment.target", lang), format_money(result.target, lang, money)),
    ])
    rated = sorted((r for r in result.reps if r.attainment is not None),
                   key=lambda r: (-(r.attainment or 0), r.owner))
    if rated:
        st.subheader(t("quota_attainment.by_rep", lang))
        rules = [(1.0, t("quota_attainment.full", lang, value=format_percent(1.0, lang, 0)))]
        if result.team_attainment is not None:
            rules.append((result.team_attainment, t(
                "chart.team_value", lang, value=format_percent(result.team_attainment, lang))))
        kpi_page.chart(charts.measure_bars,
            kpi_page.dump(rated), "owner", "attainment", "percent",
            t("quota_attainment.attainment", lang), lang, money, rules=rules,
            key="quota-chart", alt_text=t("quota_attainment.by_rep", lang))
    kpi_page.rows_behind(kpi_page.dump(result.quotas), QUOTA_COLUMNS, lang, money,
                         key="quota-rows", file_name="quota-attainment.csv")


def _packages(page: PageContext, filters: Filters, money: str) -> None:
    """Each rep's won revenue against their package and the target multiple."""
    ws, lang = page.workspace, page.lang
    # A slider of sensible multiples, shown as the language writes them (3,0× in
    # French; a number input would show "3.0"); the link keeps a plain number.
    target = sidebar.linked(
        st.select_slider, "target", DEFAULT_TARGET, _target_in_steps,
        t("comp.target", lang), options=TARGETS,
        format_func=lambda value: format_multiple(value, lang),
        help=t("comp.target_help", lang),
    ) or DEFAULT_TARGET
    filters = filters.model_copy(update={"target_multiple": float(target)})
    result = compute_compensation(ws.con, filters)
    if not result.reps:
        kpi_page.no_rows(lang)
        return

    rated = [r for r in result.reps if r.ratio is not None]
    meeting = sum(1 for r in rated if r.meets_target)
    gap = None
    if result.team_ratio is not None:
        diff = result.team_ratio - result.target_multiple
        gap = kpi_page.signed(round(diff, 1), format_multiple(abs(diff), lang))
    kpi_page.cards([
        Card(t("comp.team_ratio", lang), format_multiple(result.team_ratio, lang), gap,
             delta_description=t("comp.vs_target", lang,
                                 value=format_multiple(result.target_multiple, lang)),
             help=t("help.team_ratio", lang)),
        Card(t("comp.revenue", lang), format_money(result.total_revenue, lang, money),
             help=t("comp.revenue_help", lang)),
        Card(t("comp.total_package", lang), format_money(result.total_package, lang, money),
             help=t("help.package", lang)),
        Card(t("comp.reps_on_target", lang),
             t("comp.n_of_m", lang, n=format_number(meeting, lang),
               m=format_number(len(rated), lang))),
    ])

    st.subheader(t("comp.ratio_by_rep", lang))
    picked = sidebar.linked_selection("selected_rep", "rep-chart", charts.REP_SELECTION,
                                      "owner", [r.owner for r in rated])
    if rated:
        kpi_page.chart(
            charts.ratio_by_rep, result, lang, money, selected=picked, key="rep-chart",
            selectable=True, alt_text=t("comp.ratio_by_rep", lang))
    else:
        st.caption(t("comp.no_ratio", lang))

    if result.reps_without_package:
        reps = ", ".join(map(escape, result.reps_without_package))
        st.warning(t("comp.without_package", lang, reps=reps), icon=":material/person_off:")

    rows = kpi_page.dump(sorted(result.reps, key=lambda r: (r.ratio is None, -(r.ratio or 0))))
    if picked:
        st.subheader(t("comp.drilldown", lang, reps=", ".join(map(escape, picked))))
        kpi_page.rows_table([r for r in rows if r["owner"] in picked], REP_COLUMNS, lang, money,
                            key="comp-picked", file_name="packages-selected.csv")
        kpi_page.deal_pages(ws.con, filters.model_copy(update={"reps": picked}),
                            won_only=True, caption="comp.deals_won", lang=lang,
                            currency_code=money, key="comp-deals",
                            file_name="rep-won-deals.csv")
    else:
        if rated:
            st.caption(t("comp.click_hint", lang))
        kpi_page.rows_behind(rows, REP_COLUMNS, lang, money, key="comp-rows",
                             file_name="packages-vs-revenue.csv", expanded=True)
