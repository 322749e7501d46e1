"""The sidebar every page shares: language, period, reps, channels, link to the view.

Each widget is bound to a URL query parameter (`bind="query-params"`), so the
address bar always reproduces the exact view and survives a reload.
"""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from kpi.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from kpi.metrics.period import data_span
from kpi.schema import CHANNELS, Filters
from kpi.workspace import Workspace

PRESETS: tuple[str, ...] = (
    "all", "this_month", "last_month", "this_quarter", "last_quarter", "year_to_date",
    "last_12_months", "custom",
)


def language() -> str:
    """The chosen language; a new session without one in the URL follows the browser.

    The widget's own default stays English so that a French view always
    carries `lang` in its URL: bound selectboxes write their shown label, so a
    link only reproduces the view when it is read in the same language.
    """
    if "lang" not in st.session_state and "lang" not in st.query_params:
        locale = (st.context.locale or "").lower()
        if locale.startswith("fr"):
            st.session_state["lang"] = "fr"
    lang = st.sidebar.selectbox(
        "Language / Langue", LANGUAGES, key="lang",
        format_func=lambda code: {"en": "English", "fr": "Français"}[code],
        bind="query-params",
    )
    return lang or DEFAULT_LANGUAGE


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_period(preset: str, today: date) -> tuple[date | None, date | None]:
    """The [from, to] of a preset, relative to `today`; (None, None) for all data."""
    month_start = today.replace(day=1)
    if preset == "this_month":
        return month_start, today
    if preset == "last_month":
        end = month_start - timedelta(days=1)
        return end.replace(day=1), end
    if preset == "this_quarter":
        return _quarter_start(today), today
    if preset == "last_quarter":
        end = _quarter_start(today) - timedelta(days=1)
        return _quarter_start(end), end
    if preset == "year_to_date":
        return date(today.year, 1, 1), today
    if preset == "last_12_months":  # this month and the 11 before it
        months = today.year * 12 + today.month - 1 - 11
        return date(months // 12, months % 12 + 1, 1), today
    return None, None


def _options(workspace: Workspace) -> tuple[list[str], list[str]]:
    """Reps and channels present in the data, for the multiselects."""
    reps = workspace.reps()
    present = {row[0] for row in workspace.con.execute(
        "SELECT DISTINCT channel FROM deals UNION SELECT DISTINCT channel FROM leads"
    ).fetchall()}
    return reps, [c for c in CHANNELS if c in present]


def filters(workspace: Workspace, lang: str, today: date | None = None) -> Filters:
    """Draw the shared filters and return them as the metrics' `Filters`."""
    today = today or date.today()
    sidebar = st.sidebar
    sidebar.header(t("filters.title", lang))
    preset = sidebar.selectbox(
        t("filters.period", lang), PRESETS, key="period", bind="query-params",
        format_func=lambda p: t(f"filters.preset.{p}", lang),
    ) or "all"
    date_from, date_to = preset_period(preset, today)
    if preset == "custom":
        first, last = data_span(workspace.con)
        first, last = first or today, last or today
        picked = sidebar.date_input(
            t("filters.dates", lang), value=(first, last), key="dates", bind="query-params",
            format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD",
        )
        if isinstance(picked, tuple) and len(picked) == 2:
            date_from, date_to = picked
        elif isinstance(picked, tuple) and len(picked) == 1:
            date_from = date_to = picked[0]
    reps, channels = _options(workspace)
    chosen_reps = sidebar.multiselect(
        t("filters.reps", lang), reps, key="rep", bind="query-params",
        placeholder=t("filters.all_reps", lang),
    )
    chosen_channels = sidebar.multiselect(
        t("filters.channels", lang), channels, key="channel", bind="query-params",
        format_func=lambda c: t(f"channel.{c}", lang), placeholder=t("filters.all_channels", lang),
    )
    with sidebar.popover(t("filters.copy_link", lang), icon=":material/link:"):
        st.caption(t("filters.copy_link_help", lang))
        st.code(st.context.url or "", language=None, wrap_lines=True)
    return Filters(date_from=date_from, date_to=date_to, reps=list(chosen_reps),
                   channels=list(chosen_channels))
