"""Pieces every KPI page shares: title and definition, empty states, cards, charts, rows.

A page stays thin: it reads `context.current()`, calls the metric and hands the
result to these helpers and to kpi.charts. Every text goes through kpi.i18n.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import altair as alt
import streamlit as st

from kpi import charts
from kpi.export import to_csv
from kpi.i18n import format_date, format_money, format_number, format_percent, t
from kpi.metrics.period import resolve_period
from kpi.schema import Filters, TableKind
from kpi.workspace import Workspace

# Where "How it is computed" points: the app's "definitions" page renders
# docs/kpis.md, one anchor per KPI family. KPI_DOCS_URL can point elsewhere.
DOCS_URL = os.environ.get("KPI_DOCS_URL", "definitions")

# The columns a page needs from an export, per table (canonical names; the
# importer also recognises the CRM and French headers of KPI_SPEC §1).
NEEDED_COLUMNS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("deal_id", "owner", "status / stage", "amount", "created_at", "closed_at",
                      "channel"),
    TableKind.LEADS: ("lead_id", "created_at", "owner", "channel", "converted_at"),
    TableKind.PROPOSALS: ("proposal_id", "owner", "sent_at", "amount", "status", "deal_id"),
    TableKind.CONTENT: ("date", "owner", "kind", "deal_id", "views", "likes"),
    TableKind.COMPENSATION: ("owner", "month", "package", "annual_package"),
    TableKind.CHANNEL_COSTS: ("channel", "month", "spend"),
}

DeltaColor = Literal["normal", "inverse", "off"]


# --- page frame --------------------------------------------------------------------


def header(page: str, anchor: str, lang: str) -> None:
    """Title, the KPI's one-line definition and a link to its full definition."""
    st.title(t(f"{page}.title", lang))
    st.caption(t(f"{page}.definition", lang) + "  \n"
               + f"[{t('page.docs_link', lang)}]({DOCS_URL}#{anchor})")


def empty_state(workspace: Workspace, kind: TableKind, lang: str,
                present: bool | None = None) -> bool:
    """When the page's table is empty, say which export to upload and its columns.

    Returns True when the empty state was shown (the page then stops drawing).
    """
    if workspace.has(kind) if present is None else present:
        return False
    columns = ", ".join(f"`{c}`" for c in NEEDED_COLUMNS[kind])
    st.info(t(f"empty.{kind.value}", lang) + "\n\n" + t("empty.columns", lang, columns=columns),
            icon=":material/upload_file:", title=t("empty.title", lang,
                                                   table=t(f"table.{kind.value}", lang)))
    return True


def no_rows(lang: str) -> None:
    """The tables have data, but none in the chosen period / reps / channels."""
    st.info(t("page.no_rows", lang), icon=":material/filter_alt_off:")


def period_caption(filters: Filters, lang: str) -> str:
    return t("page.period", lang, start=format_date(filters.date_from, lang),
             end=format_date(filters.date_to, lang))


def resolved(workspace: Workspace, filters: Filters) -> Filters:
    """The filters with the default period replaced by the data's span."""
    return resolve_period(workspace.con, filters)


# --- workspace facts ------------------------------------------------------------


def currency(workspace: Workspace) -> str:
    """The workspace's currency (the deals' most frequent one), EUR when unknown."""
    rows = workspace.con.execute(
        "SELECT upper(trim(currency)) AS c, count(*) AS n FROM deals "
        "WHERE currency IS NOT NULL AND trim(currency) <> '' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
    ).fetchall()
    return rows[0][0] if rows else "EUR"


def rep_colors(workspace: Workspace) -> dict[str, str]:
    """Colour per rep from every rep of the workspace, so a filter never repaints a rep."""
    return charts.rep_colors(workspace.reps(unassigned="Unassigned"))


def has_proposal_dates(workspace: Workspace) -> bool:
    """A proposals table, or deals carrying the date their proposal was sent."""
    rows = workspace.con.execute(
        "SELECT (SELECT count(*) FROM proposals) "
        "+ (SELECT count(*) FROM deals WHERE proposal_sent_at IS NOT NULL)"
    ).fetchall()
    return bool(rows and rows[0][0])


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


def chart(figure: alt.TopLevelMixin, key: str | None = None, selectable: bool = False,
          alt_text: str | None = None) -> Any:
    """Draw an Altair chart at the container's width; return the selection event if any."""
    if selectable:
        return st.altair_chart(figure, width="stretch", key=key, on_select="rerun",
                               selection_mode=None, alt=alt_text)
    st.altair_chart(figure, width="stretch", key=key, alt=alt_text)
    return None


@dataclass(frozen=True)
class Column:
    """One column of a rows table: the result field, its label key, how to format it."""

    field: str
    label: str  # TEXTS key
    kind: Literal["text", "number", "money", "percent", "multiple", "days", "date", "month",
                  "channel", "status", "bool"] = "number"


def _cell(value: Any, kind: str, lang: str, currency_code: str) -> str:
    if value is None:
        return "—"
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


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def rows_table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str,
               currency_code: str, key: str, file_name: str) -> None:
    """The rows formatted for reading, and a CSV of the raw values (canonical names)."""
    shown = [{t(c.label, lang): _cell(row.get(c.field), c.kind, lang, currency_code)
              for c in columns} for row in rows]
    st.dataframe(shown, hide_index=True, width="stretch")
    raw = [{c.field: _plain(row.get(c.field)) for c in columns} for row in rows]
    st.download_button(
        t("page.download_csv", lang), to_csv(raw, [c.field for c in columns]),
        file_name=file_name, mime="text/csv", key=f"download-{key}", icon=":material/download:",
    )


def rows_behind(rows: Sequence[dict[str, Any]], columns: Sequence[Column], lang: str,
                currency_code: str, key: str, file_name: str, expanded: bool = False) -> None:
    """'Rows behind the chart' in an expander, with the CSV download."""
    with st.expander(t("page.rows_behind", lang, n=format_number(len(rows), lang)),
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
