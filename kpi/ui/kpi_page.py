"""Pieces every KPI page shares: title and definition, empty states, cards, charts, rows.

A page stays thin: it is given its `PageContext`, calls the metric and hands the
result to these helpers and to kpi.charts. Every text goes through kpi.i18n.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import altair as alt
import pandas as pd
import streamlit as st

from kpi import charts, settings
from kpi.engine import Engine
from kpi.export import cents, to_csv
from kpi.i18n import format_date, format_money, format_number, format_percent, t, t_count
from kpi.metrics import LeftOut, closed_deals, count_closed_deals, left_out
from kpi.metrics.period import resolve_period
from kpi.schema import TABLES, Filters, Need, TableKind
from kpi.source import SourceData
from kpi.ui.built import ContentCache, digest
from kpi.ui.context import PageContext
from kpi.ui.markdown import escape
from kpi.workspace import Workspace

# Where "How it is computed" points: the app's "definitions" page renders
# docs/kpis/, one file and anchor per KPI family. KPI_DOCS_URL can point elsewhere.
DOCS_URL = settings.current().docs_url or "definitions"

DeltaColor = Literal["normal", "inverse", "off"]


# --- page frame --------------------------------------------------------------------


def header(page: PageContext, key: str, anchor: str) -> None:
    """Title, what the page covers, the KPI's one-line definition and its full definition.

    `key` prefixes the page's texts, `anchor` is its file in docs/kpis/. The
    period and filters sit right under the title, so a screenshot, a chart saved
    as an image or the phone view (sidebar closed) says what it covers.
    """
    lang = page.lang
    st.title(t(f"{key}.title", lang))
    st.markdown(f"**{scope_line(page.filters, lang)}**")
    _definition(key, anchor, lang)


def section(key: str, anchor: str, lang: str) -> None:
    """A second KPI on a page: its heading, one-line definition and full definition."""
    st.header(t(f"{key}.title", lang), anchor=anchor)
    _definition(key, anchor, lang)


def _definition(key: str, anchor: str, lang: str) -> None:
    st.caption(t(f"{key}.definition", lang) + "  \n"
               + f"[{t('page.docs_link', lang)}]({DOCS_URL}#{anchor})")


def empty_state(workspace: Workspace | SourceData, kind: TableKind, lang: str,
                present: bool | None = None) -> bool:
    """When the page's table is empty, say which export to upload (in warehouse mode,
    which table to load) and its columns.

    Returns True when the empty state was shown (the page then stops drawing).
    """
    if workspace.has(kind) if present is None else present:
        return False
    def labels(need: Need) -> str:
        return ", ".join(t(f"field.{c}", lang) for c in TABLES[kind].named(need))

    label = t(f"table.{kind.value}", lang)
    how = (t("empty.source", lang, table=label.lower(), schema=escape(workspace.schema))
           if isinstance(workspace, SourceData) else t(f"empty.{kind.value}", lang))
    columns = t("empty.columns", lang, columns=labels(Need.REQUIRED))
    if useful := labels(Need.USEFUL):
        columns += " " + t("empty.useful", lang, columns=useful)
    st.info(how + "\n\n" + columns + " " + t("empty.headers", lang),
            icon=":material/upload_file:", title=t("empty.title", lang, table=label))
    return True


def no_rows(lang: str) -> None:
    """The tables have data, but none in the chosen period / reps / channels."""
    st.info(t("page.no_rows", lang), icon=":material/filter_alt_off:")


def period_caption(filters: Filters, lang: str) -> str:
    """'Jan 1, 2017 – Dec 31, 2017' ('du 1 janv. 2017 au 31 déc. 2017'); '—' without data."""
    if filters.date_from is None or filters.date_to is None:
        return t("report.na", lang)
    return t("page.period", lang, start=format_date(filters.date_from, lang),
             end=format_date(filters.date_to, lang))


def _names(names: Sequence[str], most: int = 3) -> str:
    """'A, B, C +2': a filter line stays one line however many are picked."""
    shown = ", ".join(names[:most])
    return shown + (f" +{len(names) - most}" if len(names) > most else "")


def scope_line(filters: Filters, lang: str) -> str:
    """The period and the rep and channel filters in one line (Markdown: names escaped)."""
    reps = (t("page.scope_reps", lang, names=escape(_names(filters.reps))) if filters.reps
            else t("filters.all_reps", lang))
    channels = (t("page.scope_channels", lang, names=_names(
        [charts.channel_label(c, lang) for c in filters.channels])) if filters.channels
        else t("filters.all_channels", lang))
    return t("page.scope", lang, period=period_caption(filters, lang), reps=reps,
             channels=channels)


def resolved(workspace: Workspace, filters: Filters) -> Filters:
    """The filters with the default period replaced by the data's span."""
    return resolve_period(workspace.con, filters)


# --- workspace facts ------------------------------------------------------------


def currency(page: PageContext) -> str:
    """The currency of this page's money (the sidebar's), saying which deals it leaves out.

    Every KPI page asks for it once, under its header: when the deals carry
    several currencies, a caption counts the deals in the others (docs/kpis/currencies.md).
    Deals imported without any currency read in the workspace's setting.
    """
    others = left_out(page.workspace.con, page.filters)
    if others.deals:
        st.caption(left_out_text(others, page.lang))
    return others.currency or page.workspace.mappings.currency


def left_out_text(others: LeftOut, lang: str) -> str:
    """'12 deals in other currencies (COP, MXN…) are left out.' (three codes at most).

    Codes come from the uploads: escaped, since a caption renders Markdown.
    """
    codes = ", ".join(others.currencies[:3]) + ("…" if len(others.currencies) > 3 else "")
    return t_count("page.left_out", others.deals, lang, currencies=escape(codes))


# --- cards ------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    delta: str | None = None
    delta_color: DeltaColor = "normal"
    help: str | None = None
    delta_description: str | None = None


def _md(text: str | None) -> str | None:
    """Metric values are Markdown: keep a `$` from starting a formula."""
    return None if text is None else text.replace("$", "\\$")


def cards(items: Sequence[Card], per_row: int = 4) -> None:
    """st.metric cards in rows of `per_row` (they wrap on narrow screens)."""
    for start in range(0, len(items), per_row):
        row = items[start:start + per_row]
        for column, card in zip(st.columns(per_row), row, strict=False):
            zero = card.delta is not None and card.delta.startswith("±")  # no change: grey
            column.metric(
                card.label, _md(card.value), _md(card.delta),
                delta_color="off" if zero else card.delta_color,
                delta_arrow="off" if zero else "auto",
                help=card.help, border=True, delta_description=card.delta_description,
            )


def signed(value: float, text: str) -> str:
    """'+text' / '-text' / '±text' by the sign of value (Streamlit reads the sign)."""
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"-{text}"
    return f"±{text}"


def delta_points(current: float | None, previous: float | None, lang: str) -> str | None:
    """Change of a rate in percentage points: '+3.2 pts'."""
    if current is None or previous is None:
        return None
    diff = (current - previous) * 100
    return signed(round(diff, 1), t("unit.points", lang, n=format_number(abs(diff), lang, 1)))


def delta_money(current: float | None, previous: float | None, lang: str,
                currency_code: str) -> str | None:
    if current is None or previous is None:
        return None
    diff = current - previous
    return signed(round(diff), format_money(abs(diff), lang, currency_code))


def delta_days(current: float | None, previous: float | None, lang: str) -> str | None:
    if current is None or previous is None:
        return None
    diff = current - previous
    return signed(round(diff, 1), t("unit.days", lang, n=format_number(abs(diff), lang, 1)))


def days(value: float | None, lang: str) -> str:
    if value is None:
        return t("report.na", lang)
    return t("unit.days", lang, n=format_number(value, lang, 1 if value % 1 else 0))


# --- charts and rows ---------------------------------------------------------------


# Vega-Lite specs by digest of their inputs (kpi/ui/built.py): ~5-200 KB each.
SPECS: ContentCache[dict[str, Any]] = ContentCache(max_entries=256)
_ALTAIR_THEME = threading.Lock()  # Altair's active theme is global to the process
# Altair validates every object as it is made (its "debug mode"): 40-60 % of building
# a chart (BENCHMARKS.md, issue 14). Every kpi.charts spec is validated whole against
# the Vega-Lite schema by tests/unit/test_charts.py, so the app builds them unchecked.
alt.utils.schemapi.disable_debug_mode()


def chart(build: Callable[..., alt.TopLevelMixin], *args: Any, key: str,
          selectable: bool = False, alt_text: str | None = None, **kwargs: Any) -> Any:
    """Draw the chart `build(*args, **kwargs)` (a kpi.charts function) at the container's
    width; return the selection event if any.

    Its Vega-Lite spec is built once per content (`SPECS`) and built again only
    when the function or its arguments differ: a page switched back to, a
    drill-down click, another widget's rerun or a new tab draws it with no
    Altair work (building and validating it cost 1.5-3x a page's queries:
    BENCHMARKS.md, issue 14). Keyed by the content itself, so it is never stale.
    """
    inputs = digest(build.__module__, build.__qualname__, args, sorted(kwargs.items()))
    # A copy of the shared spec's top level, which Streamlit sets its own keys in.
    spec = dict(SPECS.get_or_build(inputs, lambda: vega_lite_spec(build(*args, **kwargs))))
    if selectable:
        return st.vega_lite_chart(spec=spec, width="stretch", key=key, on_select="rerun",
                                  selection_mode=None, alt=alt_text)
    st.vega_lite_chart(spec=spec, width="stretch", key=key, alt=alt_text)
    return None


def vega_lite_spec(figure: alt.TopLevelMixin) -> dict[str, Any]:
    """The spec st.altair_chart would send for `figure` (Altair's default theme off, as
    Streamlit does), without Altair's schema validation (~60 % of the conversion):
    every kpi.charts spec is validated by tests/unit/test_charts.py, and
    tests/unit/test_built_once.py checks this equals Streamlit's own conversion."""
    with _ALTAIR_THEME:
        theme = alt.theme.enable("none") if alt.theme.active == "default" else nullcontext()
        with theme:
            spec = figure.to_dict(validate=False)
    spec["datasets"] = spec.get("datasets") or {}
    return spec


MISSING = "—"  # a value that cannot be computed (a rate with nothing to divide by)


@dataclass(frozen=True)
class Column:
    """One column of a rows table: the result field, its label key, how to format it."""

    field: str
    label: str  # TEXTS key
    kind: Literal["text", "number", "money", "percent", "multiple", "days", "date", "month",
                  "channel", "status", "bool"] = "number"


def _cell(value: Any, kind: str, lang: str, currency_code: str) -> str:
    if value is None:
        return MISSING
    if kind == "money":
        return format_money(value, lang, currency_code)
    if kind == "percent":
        return format_percent(value, lang)
    if kind == "multiple":
        return charts.format_multiple(value, lang)
    if kind == "days":
        return days(value, lang)
    if kind == "date":
        return format_date(value, lang)
    if kind == "month":
        return charts.month_label(value, lang) if isinstance(value, date) else str(value)
    if kind == "channel":
        return charts.channel_label(str(value), lang)
    if kind == "status":
        return t(f"status.{value}", lang) if value in ("open", "won", "lost") else str(value)
    if kind == "bool":
        return t("comp.meets_yes" if value else "comp.meets_no", lang)
    if kind == "number":
        return format_number(value, lang)
    return str(value)


# Kinds whose cells are numbers (sorted as numbers, right-aligned), words, or dates.
NUMBER_KINDS = frozenset({"number", "money", "percent", "multiple", "days"})
WORD_KINDS = frozenset({"channel", "status", "bool"})
TIME_KINDS = frozenset({"date", "month"})
# Decimals kept in a CSV, as precise as the screen or more: rates stay fractions
# (0.2043 = 20.43 %), money goes to the cent (kpi.export.cents).
CSV_DECIMALS = {"percent": 4, "multiple": 2, "days": 1}


def _value(value: Any, kind: str, lang: str) -> Any:
    """What a table or CSV cell holds: ids as words, numbers and dates as they are."""
    if value is None or kind not in WORD_KINDS:
        return value
    return _cell(value, kind, lang, "")


def _csv_value(value: Any, kind: str, lang: str) -> Any:
    """A cell of a download: words, money to the cent, ISO dates ('2026-03' for a month)."""
    if isinstance(value, int | float) and kind == "money":
        return cents(value)
    if isinstance(value, float) and kind in CSV_DECIMALS:
        return round(value, CSV_DECIMALS[kind])
    if isinstance(value, date):
        return value.strftime("%Y-%m") if kind == "month" else value.isoformat()
    return _value(value, kind, lang)


def rows_csv(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str) -> bytes:
    """The rows as a CSV in the language: its headers, its delimiter and decimal mark, words."""
    labels = [t(c.label, lang) for c in columns]
    cells = [{label: _csv_value(row.get(c.field), c.kind, lang)
              for label, c in zip(labels, columns, strict=True)} for row in rows]
    return to_csv(cells, labels, lang)


def _dated(values: Sequence[Any], kind: str) -> bool:
    """A date or month column whose cells are all dates (a bucket such as 'overdue' is not)."""
    return kind in TIME_KINDS and all(v is None or isinstance(v, date) for v in values)


def _column_config(column: Column, lang: str, dated: bool) -> Any:
    label = t(column.label, lang)
    if column.kind in NUMBER_KINDS:
        return st.column_config.NumberColumn(label)
    if dated:
        return st.column_config.DateColumn(label)
    return st.column_config.TextColumn(label)


@dataclass(frozen=True)
class _Table:
    """A rows table as drawn: the frame, each formatted column's text by value, the
    column config and the CSV, built once per content (`_built`)."""

    frame: pd.DataFrame
    texts: dict[str, dict[Any, str]]
    config: dict[str, Any]
    csv: bytes


# Rows tables by digest of their content (kpi/ui/built.py).
TABLES_BUILT: ContentCache[_Table] = ContentCache(max_entries=256)


def _build(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str,
           currency_code: str) -> _Table:
    """The frame keeps numbers and dates (so a click on a header sorts 1 738 203 €
    after 705 216 €); each distinct value of a number or date column gets the
    language's text once, which the Styler shows: NumberColumn's own formats
    follow the browser's locale, not the page's language."""
    frame = pd.DataFrame({c.field: [_value(row.get(c.field), c.kind, lang) for row in rows]
                          for c in columns}, columns=[c.field for c in columns])
    config, texts = {}, {}
    for c in columns:
        values = frame[c.field].tolist()
        config[c.field] = _column_config(c, lang, _dated(values, c.kind))
        if c.kind in NUMBER_KINDS | TIME_KINDS:
            texts[c.field] = {v: _cell(v, c.kind, lang, currency_code)
                              for v in set(values) if v is not None and v == v}  # not NaN
    return _Table(frame, texts, config, rows_csv(rows, columns, lang))


def _built(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str,
           currency_code: str) -> _Table:
    """`_build`, once per content (`TABLES_BUILT`): rebuilt only when the rows, the
    columns, the language or the currency differ; a rerun that changes none of them
    (another filter's table, a chart click, a new tab) reuses it. Keyed by the
    content itself, so it is never stale."""
    inputs = digest(list(rows), list(columns), lang, currency_code)
    return TABLES_BUILT.get_or_build(inputs, lambda: _build(rows, columns, lang, currency_code))


def _grid(table: _Table) -> None:
    """The rows, sorted as numbers and dates but written in the language."""
    formats = {field: text.__getitem__ for field, text in table.texts.items()}
    st.dataframe(table.frame.style.format(formats, na_rep=MISSING), hide_index=True,
                 width="stretch", column_config=table.config, placeholder=MISSING)


def rows_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str,
               currency_code: str, key: str, file_name: str) -> None:
    """The rows and their CSV in the language; a line saying so when there is none."""
    if not rows:
        st.caption(t("page.table_empty", lang))
        return
    table = _built(rows, columns, lang, currency_code)
    _grid(table)
    st.download_button(
        t("page.download_csv", lang), table.csv,
        file_name=file_name, mime="text/csv", key=f"download-{key}", icon=":material/download:",
    )


def rows_behind(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str,
                currency_code: str, key: str, file_name: str, expanded: bool = False) -> None:
    """'Rows behind the chart' in an expander, with the CSV download."""
    with st.expander(t_count("page.rows_behind", len(rows), lang),
                     expanded=expanded, icon=":material/table_rows:"):
        rows_table(rows, columns, lang, currency_code, key, file_name)


def dump(items: Sequence[Any]) -> list[dict[str, Any]]:
    """pydantic rows -> dicts (for rows_behind)."""
    return [item.model_dump() for item in items]


DEAL_COLUMNS: tuple[Column, ...] = (
    Column("deal_name", "col.deal", "text"),
    Column("deal_id", "col.deal_id", "text"),
    Column("owner", "col.rep", "text"),
    Column("channel", "col.channel", "channel"),
    Column("status", "col.status", "status"),
    Column("amount", "col.amount", "money"),
    Column("created_at", "col.created_at", "date"),
    Column("closed_at", "col.closed_at", "date"),
)

DEALS_PER_PAGE = 100  # a drill-down's deals read at a time (docs/scale-out.md)


def deal_pages(con: Engine, filters: Filters, *, won_only: bool, caption: str, lang: str,
               currency_code: str, key: str, file_name: str) -> None:
    """A drill-down's deals, largest first, one page at a time, under `caption` ({n} deals).

    Only the page shown is read (LIMIT/OFFSET as parameters): on a warehouse,
    a drill-down never pulls every deal. The page picker starts again at 1
    when the count changes (another selection).
    """
    total = count_closed_deals(con, filters, won_only=won_only)
    st.caption(t(caption, lang, n=format_number(total, lang)))
    pages = max(1, math.ceil(total / DEALS_PER_PAGE))
    number = 1
    if pages > 1:
        number = int(st.number_input(t("page.deals_page", lang), min_value=1, max_value=pages,
                                     value=1, step=1, key=f"{key}-page-{total}"))
    offset = (number - 1) * DEALS_PER_PAGE
    deals = closed_deals(con, filters, won_only=won_only, limit=DEALS_PER_PAGE, offset=offset)
    if pages > 1 and deals:
        st.caption(t("page.deals_shown", lang, first=format_number(offset + 1, lang),
                     last=format_number(offset + len(deals), lang),
                     total=format_number(total, lang)))
    rows_table(deals, DEAL_COLUMNS, lang, currency_code, key=key, file_name=file_name)
