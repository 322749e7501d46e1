"""The sidebar every page shares: language, period, reps, channels, currency, link to the view.

The URL is the view: every setting (these filters, a page's own settings, a
drill-down selection) is written into the query string as a language-neutral
code (`period=last_12_months`, `lang=fr`, `channel=website_paid`, rep names as
they are in the data), so a link gives the same figures in either language
and through the login. Streamlit's `bind="query-params"` would write a
widget's *shown label* (`period=Last+12+months`), which the other language
cannot read back, so `linked` does the binding here instead: the URL seeds
a widget once per session, the run records each setting's codes, and
`view_link` makes the address bar exactly those codes at the end of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlencode

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kpi import catalog
from kpi.charts import channel_label, selected_values
from kpi.i18n import DEFAULT_LANGUAGE, LANGUAGES, format_date, format_number, t
from kpi.metrics import CurrencyCount, currencies
from kpi.metrics.period import PRESETS, anchor_day, preset_period
from kpi.schema import Filters
from kpi.ui.markdown import escape
from kpi.workspace import Workspace

T = TypeVar("T")
Reader = Callable[[list[str]], Any]  # the URL's codes -> a widget value, None when unusable
LANGUAGE_NAMES = {"en": "English", "fr": "Français"}
_RUN_LINK = "_view_link"  # this run's settings as URL codes: {param: [codes]}
_READ = "_view_link_read"  # the URL parameters this session has read into a setting
_HELD = "_view_link_held"  # settings the link (or a default) gave that the reader has not changed


# --- reading codes from a link -----------------------------------------------------


Label = Callable[[str, str], str]  # (option, language) -> the label shown


def _option(code: str, options: Sequence[str], label: Label | None) -> str | None:
    """The option a URL value names: its code, or its label in any language.

    Labels are read so that links made before the URL held codes
    (`period=Last+12+months`) keep working; the URL is then rewritten as codes.
    """
    if code in options:
        return code
    for option in options if label else ():
        if code in {label(option, lang) for lang in LANGUAGES}:
            return option
    return None


def one_of(options: Sequence[str], label: Label | None = None) -> Reader:
    """A reader for one code among `options`."""
    return lambda codes: _option(codes[-1], options, label)


def some_of(options: Sequence[str], label: Label | None = None) -> Reader:
    """A reader for several codes among `options` (the unknown ones are dropped)."""
    def read(codes: list[str]) -> list[str]:
        picked = (_option(code, options, label) for code in codes)
        return list(dict.fromkeys(option for option in picked if option is not None))
    return read


def number(low: float, high: float, kind: type[int] | type[float]) -> Reader:
    """A reader for a number within [low, high]."""
    def read(codes: list[str]) -> int | float | None:
        try:
            value = kind(float(codes[-1])) if kind is int else float(codes[-1])
        except (ValueError, OverflowError):  # not a number, nan, inf
            return None
        return value if low <= value <= high else None
    return read


def _dates(codes: list[str]) -> tuple[date, ...] | None:
    """One or two ISO dates (one while a range is being picked)."""
    try:
        picked = tuple(date.fromisoformat(code) for code in codes)
    except ValueError:
        return None
    return picked if 1 <= len(picked) <= 2 else None


# --- writing codes into the link ---------------------------------------------------


def _code(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _codes(value: Any) -> list[str]:
    items = value if isinstance(value, (list, tuple)) else [value]
    return [_code(item) for item in items if item is not None]


def _remember(key: str, value: Any, default: Any) -> None:
    """Record a setting for this run's link; a default value stays out of the URL."""
    if value != default and _codes(value):
        st.session_state.setdefault(_RUN_LINK, {})[key] = _codes(value)


def _link_codes(key: str) -> list[str]:
    """The link's codes for `key`, marking the parameter as read into its setting."""
    st.session_state.setdefault(_READ, set()).add(key)
    return st.query_params.get_all(key)


def _seed(key: str, read: Reader, default: Any) -> None:
    """Give the widget `key` its value before it is drawn: the link's, else `default`.

    Only when the session has no value yet (a new visit, or a page's widget
    coming back); then held until the reader changes the widget: on a fresh
    server, an early rerun (the login's cookie component) can hand a widget
    drawn once its default instead (seen with the language before a login).
    A value the options no longer hold (new data) is read again, so a widget
    never gets an impossible value.
    """
    held = st.session_state.setdefault(_HELD, set())
    if key in st.session_state:
        current = st.session_state[key]
        codes = _codes(current)
        checked = read(codes) if codes else current  # nothing picked: nothing to check
        if checked != current:
            st.session_state[key] = default if checked is None else checked
        elif key in held:
            st.session_state[key] = current
        return
    codes = _link_codes(key)
    value = read(codes) if codes else None
    st.session_state[key] = default if value is None else value
    held.add(key)


def _changed(key: str) -> None:
    """The reader changed the widget `key`: it owns its value from now on."""
    st.session_state.get(_HELD, set()).discard(key)


def linked(draw: Callable[..., T], key: str, default: Any, read: Reader, *args: Any,
           **kwargs: Any) -> T:
    """Draw a widget whose value is part of the link, as codes (see the module docstring).

    `draw` is the widget function (st.selectbox, st.sidebar.multiselect…),
    called with `key`; its default comes from `default`, so do not pass one.
    """
    _seed(key, read, default)
    value = draw(*args, key=key, on_change=_changed, args=(key,), **kwargs)
    _remember(key, value, default)
    return value


def linked_selection(key: str, chart: str, param: str, field: str,
                     options: Sequence[str]) -> list[str]:
    """A drill-down selection that is part of the link: the chart's once clicked, else the URL's.

    Called before the chart `chart` (its widget key) is drawn: its last click is
    already in the session state, and the chart is then drawn with the result as
    its selection's initial value, so a link's selection shows highlighted. A
    link's selection is kept until the reader clicks (or double-clicks to
    clear) the chart; `param` and `field` name the chart's selection.
    """
    clicked = selected_values(st.session_state.get(chart), param, field)
    seen = f"_{key}_clicked"
    if key not in st.session_state:
        codes = _link_codes(key)
        st.session_state[key] = some_of(options)(codes) if codes else []
        st.session_state[seen] = clicked
    if clicked != st.session_state.get(seen):
        st.session_state[key] = st.session_state[seen] = clicked
    picked = [code for code in st.session_state[key] if code in options]
    _remember(key, picked, [])
    return picked


def view_link(slot: DeltaGenerator, lang: str) -> None:
    """End of a run: the address bar becomes this run's settings, and the popover shows it.

    Called after the page ran, so the page's own settings are in the link.
    Parameters of settings no longer drawn (another page's) leave the URL; the
    ones no setting has read yet stay (a page not opened yet, other tools').
    """
    read = st.session_state.get(_READ, set())
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    settings = dict(st.session_state.get(_RUN_LINK, {}))
    settings.update({key: codes for key, codes in current.items() if key not in read})
    if current != settings:
        st.query_params.from_dict(settings)
    query = urlencode([(key, code) for key, codes in settings.items() for code in codes])
    url = (st.context.url or "") + (f"?{query}" if query else "")
    with slot:
        st.caption(t("filters.copy_link_help", lang))
        st.code(url, language=None, wrap_lines=True)


# --- the sidebar ---------------------------------------------------------------------


def language() -> str:
    """The chosen language; the first widget of every run, so it starts the run's link.

    A new session without `lang` in its link follows the browser's language.
    """
    st.session_state[_RUN_LINK] = {}
    read = one_of(LANGUAGES, lambda code, _: LANGUAGE_NAMES[code])
    browser = "fr" if (st.context.locale or "").lower().startswith("fr") else DEFAULT_LANGUAGE
    _seed("lang", read, browser)
    lang = linked(st.sidebar.selectbox, "lang", DEFAULT_LANGUAGE, read, "Language / Langue",
                  LANGUAGES, format_func=LANGUAGE_NAMES.__getitem__)
    return lang or DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Options:
    """What the filters offer: the data's span, reps, channels and currencies."""

    span: tuple[date | None, date | None]
    reps: tuple[str, ...]
    channels: tuple[str, ...]
    currencies: tuple[CurrencyCount, ...]


def options(workspace: Workspace) -> Options:
    """The filters' options, queried once per workspace revision (not on every rerun)."""
    con = workspace.con
    return workspace.remembered("sidebar.options", lambda: Options(
        span=catalog.data_span(con), reps=tuple(catalog.reps(con)),
        channels=tuple(catalog.channels(con)), currencies=tuple(currencies(con))))


def _currency(listed: Sequence[CurrencyCount], lang: str, box: DeltaGenerator) -> str | None:
    """The currency the figures cover; a choice only when the deals carry several.

    The options are ISO codes, the default (most won revenue) first; the deal
    counts are in the help (Markdown: the codes come from the uploads, escaped).
    """
    if len(listed) < 2:
        return listed[0].currency if listed else None
    codes = [c.currency for c in listed]
    counts = escape(", ".join(f"{c.currency} {format_number(c.deals, lang)}" for c in listed))
    return linked(box.selectbox, "currency", codes[0], one_of(codes),
                  t("filters.currency", lang), codes,
                  help=t("filters.currency_help", lang, counts=counts))


def _period(span: tuple[date | None, date | None], lang: str, today: date,
            sidebar: DeltaGenerator) -> tuple[date | None, date | None]:
    """The period's dates: a preset counted back from the data's end (or today), or a range.

    "All data" is the data's span, resolved here once per run (pages then
    reuse these dates); the sidebar says where the data end when presets
    count back from there rather than from today.
    """
    first, last = span
    preset = linked(sidebar.selectbox, "period", "all",
                    one_of(PRESETS, lambda p, lang: t(f"filters.preset.{p}", lang)),
                    t("filters.period", lang), PRESETS,
                    format_func=lambda p: t(f"filters.preset.{p}", lang)) or "all"
    day = anchor_day(today, last)
    if last is not None and day == last and day != today:
        sidebar.caption(t("filters.latest_data", lang, date=format_date(last, lang)))
    if preset == "all":
        return first, last
    if preset != "custom":
        return preset_period(preset, day)
    span = (first or today, last or today)
    picked = linked(sidebar.date_input, "dates", span, _dates, t("filters.dates", lang),
                    format="DD/MM/YYYY" if lang == "fr" else "YYYY-MM-DD")
    if isinstance(picked, tuple) and len(picked) == 2:
        return picked[0], picked[1]
    if isinstance(picked, tuple) and len(picked) == 1:
        return picked[0], picked[0]
    return span


def filters(workspace: Workspace, lang: str, sidebar: DeltaGenerator,
            today: date | None = None) -> Filters:
    """Draw the shared filters into `sidebar` (a slot of the sidebar) and return them."""
    sidebar.header(t("filters.title", lang))
    offered = options(workspace)
    date_from, date_to = _period(offered.span, lang, today or date.today(), sidebar)
    reps, channels = list(offered.reps), list(offered.channels)
    chosen_reps = linked(sidebar.multiselect, "rep", [], some_of(reps), t("filters.reps", lang),
                         reps, placeholder=t("filters.all_reps", lang))
    chosen_channels = linked(
        sidebar.multiselect, "channel", [], some_of(channels, channel_label),
        t("filters.channels", lang),
        channels, format_func=lambda c: channel_label(c, lang),
        placeholder=t("filters.all_channels", lang))
    return Filters(date_from=date_from, date_to=date_to, reps=list(chosen_reps),
                   channels=list(chosen_channels),
                   currency=_currency(offered.currencies, lang, sidebar),
                   default_currency=offered.currencies[0].currency if offered.currencies
                   else None)


def link_slot(sidebar: DeltaGenerator, lang: str) -> DeltaGenerator:
    """The "Copy link to this view" popover, drawn with the filters and filled by `view_link`."""
    return sidebar.popover(t("filters.copy_link", lang), icon=":material/link:")
