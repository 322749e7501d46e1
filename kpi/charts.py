"""Altair charts built from metric results (aggregated rows only); no Streamlit here.

Conventions shared by every chart, so the pages look like one product:

- colour only where it means something, and one meaning per colour: a
  channel always has the same colour (`CHANNEL_COLORS`, one per id of
  kpi.schema.CHANNELS); bars of a measured value (per rep, per month) are
  all `BAR_COLOR` (a rep is named on the axis, a colour per rep would say
  nothing; a picked bar is highlighted by opacity); outcomes have their own
  colours (`STATUS_COLORS`, `TARGET_MET_COLORS`, `CONTENT_COLORS`), never
  reused for another meaning;
- months are bands (`_month_x`): a bar sits over its month's label;
- bar charts with few bars (`VALUE_LABEL_MAX_BARS`) print each bar's value;
- tooltips show values already formatted for the language (`*_label` fields
  computed with kpi.i18n), and Vega's number/time locale is set for the axes;
  short money ticks follow the language too (`_short_money`: €400k, 400 k€);
- rep names and other uploaded text only travel as data (encodings, tooltips):
  Vega tooltips escape HTML, so `<b>Zoé</b>` shows as text;
- no text colour is hard-coded: axes and legends follow Streamlit's light or
  dark theme; marks use mid-tone colours readable on both;
- target and threshold lines are `rule` layers with a short label;
- the width follows the container (pages draw with width="stretch"); the
  height of a bar chart grows with its number of bars.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import altair as alt

from kpi.i18n import (
    currency_affixes,
    decimal_mark,
    format_money,
    format_month,
    format_multiple,
    format_number,
    format_percent,
    t,
    vega_locale,
)
from kpi.metrics.channels import DECISIONS, ChannelsResult
from kpi.metrics.compensation import CompensationResult
from kpi.metrics.content import ContentResult
from kpi.metrics.pipeline import PipelineResult
from kpi.metrics.proposals import ProposalsResult
from kpi.metrics.social import SocialResult
from kpi.schema import CHANNELS

# One colour per canonical channel; the social networks keep their brand hue.
CHANNEL_COLORS: dict[str, str] = {
    "linkedin": "#0a66c2",
    "facebook": "#4f7bd9",
    "twitter": "#6b7280",
    "viadeo": "#f07355",
    "other_social": "#a855f7",
    "cold_email": "#14b8a6",
    "cold_call": "#f59e0b",
    "event": "#e11d48",
    "website_organic": "#22c55e",
    "website_paid": "#84cc16",
    "word_of_mouth": "#d946ef",
    "referral": "#0ea5e9",
    "other": "#a16207",
    "unknown": "#94a3b8",
}
assert set(CHANNEL_COLORS) == set(CHANNELS)

# Mid-tone colours, readable on white and on dark; each means one thing only.
BAR_COLOR = "#4c78a8"  # a measured value (per rep, per month): no meaning beyond "the value"
STATUS_COLORS: dict[str, str] = {"won": "#22a06b", "lost": "#e5484d", "open": "#f5a524"}
TARGET_MET_COLORS: dict[bool, str] = {True: "#1b9e77", False: "#d95f02"}  # colour-blind safe
CONTENT_COLORS: dict[str, str] = {
    "decks_shared": "#7e57c2", "articles_shared": "#c98a2e", "own_posts": "#2a9d8f",
}  # fmt: skip
# Pieces of a stacked bar (stages...): soft hues apart from the status, target
# and channel colours, so a stage never reads as won, lost or a channel.
STACK_SCHEME = "set2"
TARGET_COLOR = "#d6336c"  # target / threshold rules: raspberry, not the red of "lost"
AVERAGE_COLOR = "#8b8b8b"  # reference averages (team, other channels): grey dashed
LOW_VOLUME_CLOSED = 5  # a month's win rate on fewer closed deals is drawn hollow

BAR_STEP = 28  # pixels per bar in horizontal bar charts
LEGEND_HEIGHT = 320  # month charts with a legend above them (it takes from the height)
LEGEND_ROOM = 56  # added to a bar chart's height for a legend and rule labels above it
MIN_HEIGHT = 140
LABEL_LIMIT = 140  # long rep / channel names are cut with an ellipsis (tooltip has all)

CHANNEL_SELECTION = "channel_pick"
REP_SELECTION = "rep_pick"


# --- colours -------------------------------------------------------------------


def _channel_scale(labels: dict[str, str]) -> alt.Scale:
    """Fixed colour per channel; the domain lists the present channels, in CHANNELS order."""
    present = [c for c in CHANNELS if c in labels]
    return alt.Scale(domain=[labels[c] for c in present],
                     range=[CHANNEL_COLORS[c] for c in present])


def channel_label(channel: str, lang: str) -> str:
    key = f"channel.{channel}"
    try:
        return t(key, lang)
    except KeyError:
        return channel


def _finish(chart: alt.TopLevelMixin, lang: str, currency: str) -> alt.TopLevelMixin:
    """Common configuration: locale, readable labels, no chart border.

    One `configure` call: each of Altair's configure_* copies the whole chart.
    """
    return chart.configure(
        locale=vega_locale(lang, currency),
        axis=alt.AxisConfig(labelLimit=LABEL_LIMIT, titlePadding=8),
        view=alt.ViewConfig(stroke=None),
        legend=alt.LegendConfig(orient="top", title=None, labelLimit=LABEL_LIMIT),
    )


def month_label(month: date, lang: str) -> str:
    """'Mar 2024' / 'mars 2024' (kpi.i18n.format_month, the page's tables label months alike)."""
    return format_month(month, lang)


def _bar_height(count: int) -> int:
    return max(MIN_HEIGHT, BAR_STEP * max(count, 1) + 40)


_PERCENT_AXIS = ".0%"

# Short money units per language, largest first ('€1.2B' / '1,2 Md€').
_SHORT_UNITS: dict[str, tuple[tuple[float, str], ...]] = {
    "en": ((1e9, "B"), (1e6, "M"), (1e3, "k"), (1, "")),
    "fr": ((1e9, "Md"), (1e6, "M"), (1e3, "k"), (1, "")),
}


def _decimal(number: str, spec: str, lang: str) -> str:
    """A Vega expression formatting `number` with d3 `spec` and the language's decimal mark.

    The explicit comma does not depend on Vega applying the configured locale
    inside expressions (`spec` has no grouping, so the only '.' is the decimal one).
    """
    text = f"format({number}, {json.dumps(spec)})"
    mark = decimal_mark(lang)
    return f"replace({text}, '.', {json.dumps(mark)})" if mark != "." else text


def _short_money(value: str, lang: str, currency: str) -> str:
    """A Vega expression writing `value` as short money: '€400k', '400 k€', '1,2 M€', '950 €'.

    One rule for money axis ticks and bar labels; d3's SI format cannot put
    the French space between the number and 'k€', hence an expression. The
    currency's place and spacing are the language's (kpi.i18n.currency_affixes):
    the unit follows the number, or sits between the space and a symbol after it.
    """
    lang = lang if lang in _SHORT_UNITS else "en"
    before, after = currency_affixes(lang, currency)
    space, symbol = re.match(r"(\s*)(.*)", after, re.DOTALL).groups()
    expr = ""
    for threshold, unit in reversed(_SHORT_UNITS[lang]):
        number = _decimal(f"{value} / {threshold:g}", ".3~r", lang)
        text = f"{json.dumps(before)} + {number} + {json.dumps(space + unit + symbol)}"
        expr = f"abs({value}) >= {threshold:g} ? {text} : {expr}" if expr else text
    return expr


def _money_axis(lang: str, currency: str) -> alt.Axis:
    """Short money ticks in the language's format; tooltips carry the exact value."""
    return alt.Axis(labelExpr=_short_money("datum.value", lang, currency))


MIN_MONTHS_SHOWN = 6  # a monthly chart spans at least this many months


def _months(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Every month (ISO first day) from the rows' first to their last, gaps included.

    A span shorter than MIN_MONTHS_SHOWN is widened around the data, so one
    month does not draw one bar as wide as the chart.
    """
    found = sorted({_month_index(date.fromisoformat(r["month"])) for r in rows})
    if not found:
        return []
    first, last = found[0], found[-1]
    if last - first + 1 < MIN_MONTHS_SHOWN:
        first -= (MIN_MONTHS_SHOWN - (last - first + 1)) // 2
        last = first + MIN_MONTHS_SHOWN - 1
    return [date(i // 12, i % 12 + 1, 1).isoformat() for i in range(first, last + 1)]


MONTH_LABELS = 6  # at most this many month labels on an axis


def _month_x(title: str, rows: Sequence[dict[str, Any]]) -> alt.X:
    """Months as bands, each label centred under its month (bars and points alike).

    On a time axis the ticks sit on month starts, so the last bar read as the
    month after it. The rows' `month` (ISO first day) is the band; the label
    is written by Vega with the locale's month names. Labelled months are
    counted back from the latest, so the month a reader looks for first
    always has its label.
    """
    months = _months(rows)
    step = -(-len(months) // MONTH_LABELS) or 1
    return alt.X("month:O", title=title,
                 scale=alt.Scale(domain=months) if months else alt.Undefined,
                 axis=alt.Axis(labelExpr="utcFormat(toDate(datum.value), '%b %Y')",
                               values=months[::-1][::step][::-1] or alt.Undefined,
                               labelAngle=0, labelOverlap=True))


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    """The rows, inline. As a tuple: Altair deep-copies lists (and dicts in them) each
    time a chart is layered or configured, but keeps a tuple by reference; it writes
    it as the same JSON array. The rows are never changed once charted."""
    return alt.Data(values=tuple(rows))


VALUE_LABEL_MAX_BARS = 12  # up to this many bars, each prints its value


def _value_labels(base: alt.Chart, count: int, text: str | alt.Text, vertical: bool = False,
                  color: str | None = None) -> list[alt.Chart]:
    """A text layer with each bar's value at its end, when the bars are few enough to read.

    `base` carries the bars' position encodings; the text takes the bars'
    colour (`color`, else the base's colour encoding), never a fixed text colour.
    """
    if count > VALUE_LABEL_MAX_BARS:
        return []
    style: dict[str, Any] = ({"align": "center", "baseline": "bottom", "dy": -3} if vertical
                             else {"align": "left", "baseline": "middle", "dx": 4})
    if color is not None:
        style["color"] = color
    return [base.mark_text(**style).encode(text=text)]


LABEL_ROOM = 72  # pixels right of the plot for the longest bar's label ('€1,234,567')


def _label_room(count: int, vertical: bool = False) -> dict[str, Any]:
    """Chart padding that keeps the value labels of `_value_labels` inside the chart.

    Vega cuts what goes past the chart's edge, and the longest bar reaches it.
    """
    if count > VALUE_LABEL_MAX_BARS:
        return {}
    room = {"left": 5, "top": 5, "right": 5, "bottom": 5}
    room["top" if vertical else "right"] = 18 if vertical else LABEL_ROOM
    return {"padding": room}


def _rule(value: float, label: str, color: str, axis: str = "x",
          dash: Sequence[int] = (6, 4), side: str = "right") -> alt.LayerChart:
    """A reference line at `value` with its label; `axis` is the value's axis.

    The label sits outside the plot area (above it for a vertical line, right
    of it for a horizontal one), so no bar or point ever covers it. `side`:
    which way a vertical line's label runs from it, so that two close lines
    can have labels running apart instead of over each other.
    """
    data = _data([{"value": value, "label": label}])
    base = alt.Chart(data)
    enc: dict[str, Any] = {axis: alt.X("value:Q") if axis == "x" else alt.Y("value:Q")}
    rule = base.mark_rule(color=color, strokeWidth=2, strokeDash=list(dash)).encode(
        **enc, tooltip=[alt.Tooltip("label:N", title=" ")])
    if axis == "x":
        text = base.mark_text(color=color, align="left" if side == "right" else "right",
                              baseline="bottom", dx=-2 if side == "right" else 2, dy=-4,
                              fontWeight="bold").encode(x="value:Q", y=alt.value(0),
                                                        text="label:N")
    else:
        text = base.mark_text(color=color, align="left", baseline="middle", dx=6,
                              fontWeight="bold").encode(y="value:Q", x=alt.value("width"),
                                                        text="label:N")
    return alt.layer(rule, text)


# --- overview --------------------------------------------------------------------


def pipeline_month_rows(result: PipelineResult, lang: str, currency: str) -> list[dict]:
    return [{
        "month": m.month.isoformat(),
        "month_label": month_label(m.month, lang),
        "won_revenue": m.won_revenue,
        "won_revenue_label": format_money(m.won_revenue, lang, currency),
        "win_rate": m.win_rate,
        "win_rate_label": format_percent(m.win_rate, lang),
        "won": m.won,
        "closed": m.closed,
        "deals_label": t("chart.won_of_closed", lang, won=format_number(m.won, lang),
                         closed=format_number(m.closed, lang)),
    } for m in result.by_month]


def won_revenue_by_month(result: PipelineResult, lang: str,
                         currency: str = "EUR") -> alt.LayerChart:
    """Bars: revenue won per month of closing, each labelled when the months are few."""
    rows = pipeline_month_rows(result, lang, currency)
    base = alt.Chart(_data(rows)).encode(
        x=_month_x(t("chart.month_closed", lang), rows),
        y=alt.Y("won_revenue:Q", title=t("kpi.won_revenue", lang),
                axis=_money_axis(lang, currency)),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("won_revenue_label:N", title=t("kpi.won_revenue", lang)),
            alt.Tooltip("deals_label:N", title=t("chart.deals", lang)),
        ],
    )
    bars = base.mark_bar(color=BAR_COLOR, cornerRadiusEnd=2)
    short = base.transform_calculate(short=_short_money("datum.won_revenue", lang, currency))
    labels = _value_labels(short, len(rows), "short:N", vertical=True, color=BAR_COLOR)
    chart = alt.layer(bars, *labels).properties(height=260, **_label_room(len(rows), True))
    return _finish(chart, lang, currency)


def has_low_volume_months(result: PipelineResult) -> bool:
    """Whether a month's win rate rests on fewer than LOW_VOLUME_CLOSED closed deals."""
    return any(m.win_rate is not None and m.closed < LOW_VOLUME_CLOSED for m in result.by_month)


def win_rate_by_month(result: PipelineResult, lang: str, currency: str = "EUR") -> alt.LayerChart:
    """Win rate per month, the period's rate as a dashed rule.

    A point's size is the month's closed deals, and a month with fewer than
    LOW_VOLUME_CLOSED is hollow: 2 won of 3 must not read like a record.
    """
    rows = [r for r in pipeline_month_rows(result, lang, currency) if r["win_rate"] is not None]
    base = alt.Chart(_data(rows)).encode(
        x=_month_x(t("chart.month_closed", lang), rows),
        y=alt.Y("win_rate:Q", title=t("kpi.win_rate", lang),
                axis=alt.Axis(format=_PERCENT_AXIS), scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("win_rate_label:N", title=t("kpi.win_rate", lang)),
            alt.Tooltip("deals_label:N", title=t("chart.deals", lang)),
        ],
    )
    points = base.mark_point(color=BAR_COLOR, strokeWidth=2, opacity=1).encode(
        size=alt.Size("closed:Q", legend=None, scale=alt.Scale(range=[12, 240])),
        fill=alt.condition(f"datum.closed >= {LOW_VOLUME_CLOSED}", alt.value(BAR_COLOR),
                           alt.value("transparent")),
    )
    layers: list[Any] = [base.mark_line(color=BAR_COLOR, strokeWidth=2), points]
    if result.win_rate is not None:
        layers.append(_rule(result.win_rate, t("chart.period_average", lang,
                                               value=format_percent(result.win_rate, lang)),
                            AVERAGE_COLOR, axis="y"))
    return _finish(alt.layer(*layers).properties(height=260), lang, currency)


def open_pipeline_by_rep(result: PipelineResult, lang: str,
                         currency: str = "EUR") -> alt.LayerChart:
    """Horizontal bars: value of the open deals per rep, largest first, in one colour."""
    reps = sorted((r for r in result.by_rep if r.open_deals), key=lambda r: -r.open_pipeline_value)
    rows = [{
        "owner": r.owner,
        "open_pipeline_value": r.open_pipeline_value,
        "value_label": format_money(r.open_pipeline_value, lang, currency),
        "deals_label": format_number(r.open_deals, lang),
    } for r in reps]
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("owner:N", sort=[r["owner"] for r in rows], title=None),
        x=alt.X("open_pipeline_value:Q", title=t("kpi.open_pipeline", lang),
                axis=_money_axis(lang, currency)),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("value_label:N", title=t("kpi.open_pipeline", lang)),
            alt.Tooltip("deals_label:N", title=t("kpi.open_deals", lang)),
        ],
    )
    bars = base.mark_bar(color=BAR_COLOR, cornerRadiusEnd=2)
    labels = _value_labels(base, len(rows), "value_label:N", color=BAR_COLOR)
    chart = alt.layer(bars, *labels).properties(height=_bar_height(len(rows)),
                                                **_label_room(len(rows)))
    return _finish(chart, lang, currency)


# --- social selling ------------------------------------------------------------


def social_funnel(result: SocialResult, lang: str, currency: str = "EUR") -> alt.LayerChart:
    """Leads -> deals -> customers as horizontal bars, with the share of the first step."""
    first = result.funnel[0].count if result.funnel else 0
    rows = []
    for step in result.funnel:
        share = step.count / first if first else None
        rows.append({
            "stage": step.stage,
            "stage_label": t(f"social.stage.{step.stage}", lang),
            "count": step.count,
            "count_label": format_number(step.count, lang),
            "share_label": format_percent(share, lang),
            "text": f"{format_number(step.count, lang)}"
                    + (f" ({format_percent(share, lang, 0)})" if share is not None else ""),
        })
    order = [r["stage_label"] for r in rows]
    color = CHANNEL_COLORS.get(result.channel, "#4c78a8")
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("stage_label:N", sort=order, title=None),
        x=alt.X("count:Q", title=t("chart.count", lang), axis=alt.Axis(format=",d")),
        tooltip=[
            alt.Tooltip("stage_label:N", title=t("chart.stage", lang)),
            alt.Tooltip("count_label:N", title=t("chart.count", lang)),
            alt.Tooltip("share_label:N", title=t("social.share_of_leads", lang)),
        ],
    )
    bars = base.mark_bar(color=color, cornerRadiusEnd=2)
    labels = base.mark_text(align="left", dx=4, color=color, fontWeight="bold").encode(
        text="text:N")
    return _finish(alt.layer(bars, labels).properties(height=_bar_height(3)), lang, currency)


def deal_value_by_channel(result: SocialResult, lang: str,
                          currency: str = "EUR") -> alt.LayerChart:
    """Average won deal value per channel: the chosen network in its colour, the others grey.

    Grey is "the other channels", as their average's dashed rule.
    """
    rows = [{
        "channel": c.channel,
        "channel_label": channel_label(c.channel, lang),
        "avg_deal_value": c.avg_deal_value,
        "value_label": format_money(c.avg_deal_value, lang, currency),
        "won_label": format_number(c.won, lang),
        "selected": c.selected,
    } for c in sorted(result.by_channel, key=lambda c: -(c.avg_deal_value or 0))
        if c.avg_deal_value is not None]
    chosen = CHANNEL_COLORS.get(result.channel, BAR_COLOR)
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("channel_label:N", sort=[r["channel_label"] for r in rows], title=None),
        x=alt.X("avg_deal_value:Q", title=t("kpi.avg_deal_value", lang),
                axis=_money_axis(lang, currency)),
        color=alt.condition("datum.selected", alt.value(chosen), alt.value(AVERAGE_COLOR)),
        tooltip=[
            alt.Tooltip("channel_label:N", title=t("chart.channel", lang)),
            alt.Tooltip("value_label:N", title=t("kpi.avg_deal_value", lang)),
            alt.Tooltip("won_label:N", title=t("kpi.won_deals", lang)),
        ],
    )
    layers: list[Any] = [base.mark_bar(cornerRadiusEnd=2)]
    if result.avg_deal_value_other is not None:
        layers.append(_rule(result.avg_deal_value_other, t(
            "social.other_average", lang,
            value=format_money(result.avg_deal_value_other, lang, currency)), AVERAGE_COLOR))
    layers += _value_labels(base, len(rows), "value_label:N")  # over the rule, not under it
    chart = alt.layer(*layers).properties(height=_bar_height(len(rows)), **_label_room(len(rows)))
    return _finish(chart, lang, currency)


def social_by_month(result: SocialResult, lang: str, currency: str = "EUR") -> alt.Chart:
    """Leads of the social channel per month of creation, with the customers among them."""
    measures = ("leads", "customers")
    names = {m: t(f"social.stage.{m}", lang) for m in measures}
    rows = []
    for m in result.by_month:
        for i, measure in enumerate(measures):
            rows.append({
                "month": m.month.isoformat(), "month_label": month_label(m.month, lang),
                "measure": names[measure], "order": i, "count": getattr(m, measure),
                "leads_label": format_number(m.leads, lang),
                "customers_label": format_number(m.customers, lang),
                "rate_label": format_percent(m.lead_to_customer_rate, lang),
            })
    color = CHANNEL_COLORS.get(result.channel, "#4c78a8")
    domain = [names[m] for m in measures]
    chart = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
        x=_month_x(t("chart.month_created", lang), rows),
        y=alt.Y("count:Q", title=t("chart.count", lang), stack=None,
                axis=alt.Axis(format=",d")),
        color=alt.Color("measure:N", sort=domain,
                        scale=alt.Scale(domain=domain, range=[color, "#22a06b"])),
        # a scale (not a condition), so the legend's swatches are as faded as the bars
        opacity=alt.Opacity("measure:N", sort=domain,
                            scale=alt.Scale(domain=domain, range=[0.45, 1.0])),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("leads_label:N", title=names["leads"]),
            alt.Tooltip("customers_label:N", title=names["customers"]),
            alt.Tooltip("rate_label:N", title=t("kpi.lead_to_customer_rate", lang)),
        ],
    ).properties(height=LEGEND_HEIGHT)
    return _finish(chart, lang, currency)


# --- proposals -------------------------------------------------------------------


def proposals_by_month(result: ProposalsResult, lang: str, currency: str = "EUR") -> alt.Chart:
    """Stacked bars per sent month: won, lost, pending (the bar height is the sent count)."""
    statuses = ("won", "lost", "pending")
    names = {s: t(f"proposals.{s}", lang) for s in statuses}
    rows = []
    for m in result.by_month:
        for status in statuses:
            rows.append({
                "month": m.month.isoformat(), "month_label": month_label(m.month, lang),
                "status": names[status], "order": statuses.index(status),
                "count": getattr(m, status),
                "count_label": format_number(getattr(m, status), lang),
                "sent_label": format_number(m.sent, lang),
                "rate_label": format_percent(m.conversion_rate, lang),
            })
    chart = alt.Chart(_data(rows)).mark_bar().encode(
        x=_month_x(t("chart.month_sent", lang), rows),
        y=alt.Y("count:Q", title=t("proposals.sent", lang), stack="zero",
                axis=alt.Axis(format=",d")),
        color=alt.Color("status:N", sort=[names[s] for s in statuses],
                        scale=alt.Scale(domain=[names[s] for s in statuses],
                                        range=[STATUS_COLORS["won"], STATUS_COLORS["lost"],
                                               STATUS_COLORS["open"]])),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("status:N", title=t("chart.status", lang)),
            alt.Tooltip("count_label:N", title=t("chart.count", lang)),
            alt.Tooltip("sent_label:N", title=t("proposals.sent", lang)),
            alt.Tooltip("rate_label:N", title=t("kpi.conversion_rate", lang)),
        ],
    ).properties(height=LEGEND_HEIGHT)
    return _finish(chart, lang, currency)


def _rate_by_rep(rows: list[dict[str, Any]], rate_field: str, rate_title: str,
                 details: list[tuple[str, str]], team_rate: float | None, lang: str,
                 currency: str) -> alt.LayerChart:
    """Horizontal bars of a 0-1 rate per rep (best first), the team's rate as a rule.

    `rows` carry `owner`, the rate field and `rate_label`; `details` are the
    other tooltip fields as (field, title).
    """
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("owner:N", sort=[r["owner"] for r in rows], title=None),
        x=alt.X(f"{rate_field}:Q", title=rate_title,
                axis=alt.Axis(format=_PERCENT_AXIS), scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("rate_label:N", title=rate_title),
            *(alt.Tooltip(f"{field}:N", title=title) for field, title in details),
        ],
    )
    layers: list[Any] = [base.mark_bar(color=BAR_COLOR, cornerRadiusEnd=2)]
    if team_rate is not None:
        layers.append(_rule(team_rate, t(
            "chart.team_value", lang, value=format_percent(team_rate, lang)), AVERAGE_COLOR))
    layers += _value_labels(base, len(rows), "rate_label:N", color=BAR_COLOR)
    chart = alt.layer(*layers).properties(height=_bar_height(len(rows)), **_label_room(len(rows)))
    return _finish(chart, lang, currency)


def conversion_by_rep(result: ProposalsResult, lang: str,
                      currency: str = "EUR") -> alt.LayerChart:
    """Conversion rate (won / decided) per rep; the team's rate as a dashed rule."""
    reps = sorted((r for r in result.by_rep if r.conversion_rate is not None),
                  key=lambda r: (-(r.conversion_rate or 0), r.owner))
    rows = [{
        "owner": r.owner, "conversion_rate": r.conversion_rate,
        "rate_label": format_percent(r.conversion_rate, lang),
        "decided_label": t("chart.won_of_decided", lang, won=format_number(r.won, lang),
                           decided=format_number(r.won + r.lost, lang)),
        "pending_label": format_number(r.pending, lang),
    } for r in reps]
    details = [("decided_label", t("chart.proposals", lang)),
               ("pending_label", t("proposals.pending", lang))]
    return _rate_by_rep(rows, "conversion_rate", t("kpi.conversion_rate", lang), details,
                        result.conversion_rate, lang, currency)


def forecast_slot(bucket: str, month: date | None, lang: str) -> str:
    """A forecast bucket's name: 'Overdue', 'Stale', or its month ('Jul 2024')."""
    return month_label(month, lang) if month else t(f"proposals.bucket.{bucket}", lang)


def _forecast_slots(result: ProposalsResult, lang: str) -> dict[tuple[str, date | None], str]:
    """Each forecast bucket's axis label, left to right; the months gaps included."""
    slots = {(b.bucket, None): forecast_slot(b.bucket, None, lang)
             for b in result.forecast if b.month is None}
    months = [b.month for b in result.forecast if b.month is not None]
    if months:
        for index in range(_month_index(months[0]), _month_index(months[-1]) + 1):
            month = date(index // 12, index % 12 + 1, 1)
            slots["month", month] = forecast_slot("month", month, lang)
    return slots


def forecast_by_month(result: ProposalsResult, lang: str, currency: str = "EUR") -> alt.Chart:
    """Pending value per forecast bucket, with the weighted forecast inside it.

    Left to right: stale (only when counted in), overdue (expected decision
    date already past), then the months to come: no bar stands for a past month.
    """
    kinds = ("pending_value", "forecast_revenue")
    names = {k: t(f"proposals.{k}", lang) for k in kinds}
    slots = _forecast_slots(result, lang)
    rows = []
    for b in result.forecast:
        for i, kind in enumerate(kinds):
            value = getattr(b, kind)
            if value is None:
                continue
            rows.append({
                "slot": slots[b.bucket, b.month], "kind": names[kind], "order": i,
                "value": value,
                "pending_label": format_money(b.pending_value, lang, currency),
                "forecast_label": format_money(b.forecast_revenue, lang, currency),
                "count_label": format_number(b.pending, lang),
            })
    domain = [names[k] for k in kinds]
    chart = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
        x=alt.X("slot:N", title=t("col.expected", lang),
                scale=alt.Scale(domain=list(slots.values())),
                axis=alt.Axis(labelAngle=0, labelOverlap=True)),
        y=alt.Y("value:Q", title=t("chart.amount", lang), stack=None,
                axis=_money_axis(lang, currency)),
        color=alt.Color("kind:N", sort=domain,
                        scale=alt.Scale(domain=domain, range=["#9ecae9", BAR_COLOR])),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("slot:N", title=t("col.expected", lang)),
            alt.Tooltip("count_label:N", title=t("proposals.pending", lang)),
            alt.Tooltip("pending_label:N", title=names["pending_value"]),
            alt.Tooltip("forecast_label:N", title=names["forecast_revenue"]),
        ],
    ).properties(height=LEGEND_HEIGHT)
    return _finish(chart, lang, currency)


# --- content ------------------------------------------------------------------------


def usage_by_rep(result: ContentResult, lang: str, currency: str = "EUR") -> alt.LayerChart:
    """Share of each rep's deals that received a marketing deck; team rate as a rule."""
    reps = sorted((r for r in result.by_rep if r.usage_rate is not None),
                  key=lambda r: (-(r.usage_rate or 0), r.owner))
    rows = [{
        "owner": r.owner, "usage_rate": r.usage_rate,
        "rate_label": format_percent(r.usage_rate, lang),
        "deals_label": t("content.deals_with_deck", lang,
                         n=format_number(r.deals_with_content, lang),
                         total=format_number(r.deals_worked, lang)),
    } for r in reps]
    return _rate_by_rep(rows, "usage_rate", t("kpi.usage_rate", lang),
                        [("deals_label", t("chart.deals", lang))], result.usage_rate, lang,
                        currency)


CONTENT_KINDS = ("decks_shared", "articles_shared", "own_posts")


def content_mix_by_rep(result: ContentResult, lang: str,
                       currency: str = "EUR") -> alt.LayerChart:
    """Stacked bars per rep: decks shared, articles shared, own posts; each rep's total."""
    names = {k: t(f"kpi.{k}", lang) for k in CONTENT_KINDS}
    reps = sorted(result.by_rep, key=lambda r: (-(r.decks_shared + r.articles_shared
                                                  + r.own_posts), r.owner))
    rows = []
    for r in reps:
        for i, kind in enumerate(CONTENT_KINDS):
            if getattr(r, kind):
                rows.append({"owner": r.owner, "kind": names[kind], "order": i,
                             "count": getattr(r, kind),
                             "count_label": format_number(getattr(r, kind), lang)})
    owners = [r.owner for r in reps if r.decks_shared + r.articles_shared + r.own_posts]
    domain = [names[k] for k in CONTENT_KINDS]
    y = alt.Y("owner:N", sort=owners, title=None)
    bars = alt.Chart(_data(rows)).mark_bar().encode(
        y=y,
        x=alt.X("count:Q", title=t("chart.count", lang), stack="zero",
                axis=alt.Axis(format=",d")),
        color=alt.Color("kind:N", sort=domain, legend=alt.Legend(columns=1),  # fits a phone
                        scale=alt.Scale(domain=domain,
                                        range=[CONTENT_COLORS[k] for k in CONTENT_KINDS])),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("kind:N", title=" "),
            alt.Tooltip("count_label:N", title=t("chart.count", lang)),
        ],
    )
    totals = alt.Chart(_data(rows)).transform_aggregate(
        total="sum(count)", groupby=["owner"]).encode(y=y, x="total:Q")
    labels = _value_labels(totals, len(owners), alt.Text("total:Q", format=",d"),
                           color=AVERAGE_COLOR)  # a mid grey, readable on light and dark
    chart = alt.layer(bars, *labels).properties(height=_bar_height(len(owners)) + 40,
                                                **_label_room(len(owners)))
    return _finish(chart, lang, currency)


def engagement_reps(result: ContentResult) -> list[str]:
    """Reps with any content event in the period, most viewed first (then by name)."""
    active = (r for r in result.by_rep if r.decks_shared + r.articles_shared + r.own_posts)
    return [r.owner for r in sorted(active, key=lambda r: (-r.views, r.owner))]


def engagement_by_rep(result: ContentResult, lang: str, measure: str = "views",
                      currency: str = "EUR") -> alt.LayerChart:
    """Views (or likes) of each active rep's content over the period, ranked, one colour.

    A ranked bar answers "whose content is seen" at a glance, for any number
    of reps and at any width; one line per rep and month was a tangle past a
    few reps, and small multiples need fixed widths a phone cannot hold. The
    months are in the table below the chart.
    """
    active = [r for r in result.by_rep if r.decks_shared + r.articles_shared + r.own_posts]
    active.sort(key=lambda r: (-getattr(r, measure), r.owner))
    rows = [{
        "owner": r.owner, measure: getattr(r, measure),
        "views_label": format_number(r.views, lang),
        "likes_label": format_number(r.likes, lang),
    } for r in active]
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("owner:N", sort=[r["owner"] for r in rows], title=None),
        x=alt.X(f"{measure}:Q", title=t(f"kpi.{measure}", lang), axis=alt.Axis(format=",d")),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("views_label:N", title=t("kpi.views", lang)),
            alt.Tooltip("likes_label:N", title=t("kpi.likes", lang)),
        ],
    )
    layers = [base.mark_bar(color=BAR_COLOR, cornerRadiusEnd=2),
              *_value_labels(base, len(rows), f"{measure}_label:N", color=BAR_COLOR)]
    chart = alt.layer(*layers).properties(height=_bar_height(len(rows)), **_label_room(len(rows)))
    return _finish(chart, lang, currency)


# --- channels ---------------------------------------------------------------------

CHANNEL_MEASURES: dict[str, str] = {
    # measure -> how it is formatted
    "revenue_per_closed": "money",
    "win_rate": "percent",
    "revenue": "money",
    "closed": "number",
    "cac": "money",
}


# The channel focus decisions (kpi.metrics.channels.DECISIONS): go, ease off,
# undecided (grey), and the catch-alls to map (a hue no outcome uses).
DECISION_COLORS: dict[str, str] = {
    "keep": "#2f9e44", "reduce": "#e67700", "insufficient_data": "#a0a4a8",
    "catch_all": "#9775fa",
}  # fmt: skip
assert set(DECISION_COLORS) == set(DECISIONS)


def _format(kind: str, value: float | None, lang: str, currency: str) -> str:
    if kind == "money":
        return format_money(value, lang, currency)
    if kind == "percent":
        return format_percent(value, lang)
    if kind == "multiple":
        return format_multiple(value, lang)
    return format_number(value, lang)


def _measure_axis(kind: str, lang: str, currency: str) -> alt.Axis:
    if kind == "money":
        return _money_axis(lang, currency)
    return alt.Axis(format=_PERCENT_AXIS if kind == "percent" else ",.0f")


def channel_measure(result: ChannelsResult, measure: str, lang: str, currency: str = "EUR",
                    selectable: bool = True, selected: Sequence[str] = ()) -> alt.TopLevelMixin:
    """One measure per channel as horizontal bars, coloured by the channel focus decision.

    Bars follow `result.sorted_by(measure)`, the order of the table under the
    chart; the legend names the decisions in `lang`. A click selects a channel
    (selection param `channel_pick` on the `channel` field, for the page's
    drill-down); `selected` channels start highlighted (a link's drill-down).
    On the `closed` measure the `min_closed` threshold is a rule.
    """
    kind = CHANNEL_MEASURES[measure]
    decisions = result.focus.decisions()
    names = {d: t(f"focus.{d}", lang) for d in DECISIONS}
    rows = [{
        "channel": r.channel,
        "channel_label": channel_label(r.channel, lang),
        "value": getattr(r, measure),
        "value_label": _format(kind, getattr(r, measure), lang, currency),
        "closed_label": format_number(r.closed, lang),
        "win_rate_label": format_percent(r.win_rate, lang),
        "revenue_label": format_money(r.revenue, lang, currency),
        "decision": names[decisions[r.channel]],
    } for r in result.sorted_by(measure) if getattr(r, measure) is not None]
    shown = {r["decision"] for r in rows}
    legend = [d for d in DECISIONS if names[d] in shown]
    # Room right of the longest bar for its value label (drawn up to VALUE_LABEL_MAX_BARS).
    top = max((r["value"] for r in rows), default=0)
    room = (alt.Scale(domainMax=top * 1.3) if top > 0 and len(rows) <= VALUE_LABEL_MAX_BARS
            else alt.Undefined)
    selection = alt.selection_point(name=CHANNEL_SELECTION, fields=["channel"], on="click",
                                    clear="dblclick", empty=True,
                                    value=_picked("channel", selected))
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("channel_label:N", sort=[r["channel_label"] for r in rows], title=None),
        x=alt.X("value:Q", title=t(f"kpi.{measure}", lang), scale=room,
                axis=_measure_axis(kind, lang, currency)),
        color=alt.Color("decision:N", sort=[names[d] for d in legend],
                        # one per line: starting right of the channel names, a row
                        # of four is cut on a phone
                        legend=alt.Legend(columns=1),
                        scale=alt.Scale(domain=[names[d] for d in legend],
                                        range=[DECISION_COLORS[d] for d in legend])),
        tooltip=[
            alt.Tooltip("channel_label:N", title=t("chart.channel", lang)),
            alt.Tooltip("value_label:N", title=t(f"kpi.{measure}", lang)),
            alt.Tooltip("closed_label:N", title=t("kpi.closed", lang)),
            alt.Tooltip("win_rate_label:N", title=t("kpi.win_rate", lang)),
            alt.Tooltip("revenue_label:N", title=t("kpi.revenue", lang)),
            alt.Tooltip("decision:N", title=t("focus.decision", lang)),
        ],
    )
    bars = base.mark_bar(cornerRadiusEnd=2, cursor="pointer")
    if selectable:
        bars = bars.encode(opacity=alt.condition(selection, alt.value(1.0), alt.value(0.35))
                           ).add_params(selection)
    layers: list[Any] = [bars, *_value_labels(base, len(rows), "value_label:N")]
    if measure == "closed":
        threshold = max(result.focus.min_closed, 1)
        layers.append(_rule(threshold, t("focus.min_closed_rule", lang,
                                         n=format_number(threshold, lang)), TARGET_COLOR))
    chart = alt.layer(*layers).properties(height=_bar_height(len(rows)) + 18 * len(legend))
    return _finish(chart, lang, currency)


# --- packages vs revenue ---------------------------------------------------------


def ratio_by_rep(result: CompensationResult, lang: str, currency: str = "EUR",
                 selectable: bool = True, selected: Sequence[str] = ()) -> alt.TopLevelMixin:
    """Revenue / package per rep, against the target multiple (rule) and the team (grey).

    Bars are coloured by target met or not (with a legend); a click selects a
    rep (`rep_pick`, field `owner`) and fades the others; `selected` reps start
    highlighted (a link's drill-down).
    """
    reps = sorted((r for r in result.reps if r.ratio is not None),
                  key=lambda r: (-(r.ratio or 0), r.owner))
    met = {True: t("comp.meets_target", lang), False: t("comp.below_target", lang)}
    rows = [{
        "owner": r.owner, "ratio": r.ratio,
        "ratio_label": format_multiple(r.ratio, lang),
        "revenue_label": format_money(r.revenue, lang, currency),
        "package_label": format_money(r.package, lang, currency),
        "target": met[bool(r.meets_target)],
    } for r in reps]
    ratio_tick = _decimal("datum.value", ".1~f", lang)
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("owner:N", sort=[r["owner"] for r in rows], title=None),
        x=alt.X("ratio:Q", title=t("kpi.ratio", lang),
                axis=alt.Axis(tickCount=6, labelExpr=f"{ratio_tick} + '×'")),
        color=alt.Color("target:N", sort=[met[True], met[False]],
                        scale=alt.Scale(domain=[met[True], met[False]],
                                        range=[TARGET_MET_COLORS[True], TARGET_MET_COLORS[False]])),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("ratio_label:N", title=t("kpi.ratio", lang)),
            alt.Tooltip("revenue_label:N", title=t("kpi.won_revenue", lang)),
            alt.Tooltip("package_label:N", title=t("kpi.package", lang)),
            alt.Tooltip("target:N", title=t("chart.status", lang)),
        ],
    )
    bars = base.mark_bar(cornerRadiusEnd=2, cursor="pointer")
    if selectable:
        selection = alt.selection_point(name=REP_SELECTION, fields=["owner"], on="click",
                                        clear="dblclick", empty=True,
                                        value=_picked("owner", selected))
        opacity = alt.condition(selection, alt.value(1.0), alt.value(0.3))
        bars = bars.encode(opacity=opacity).add_params(selection)
    team_above = result.team_ratio is not None and result.team_ratio >= result.target_multiple
    layers: list[Any] = [bars, _rule(result.target_multiple, t(
        "comp.target_rule", lang, value=format_multiple(result.target_multiple, lang)),
        TARGET_COLOR, dash=(1, 0), side="left" if team_above else "right")]
    if result.team_ratio is not None:
        layers.append(_rule(result.team_ratio, t(
            "chart.team_value", lang, value=format_multiple(result.team_ratio, lang)),
            AVERAGE_COLOR, side="right" if team_above else "left"))
    layers += _value_labels(base, len(rows), "ratio_label:N")
    chart = alt.layer(*layers).properties(height=_bar_height(len(rows)) + LEGEND_ROOM,
                                          **_label_room(len(rows)))
    return _finish(chart, lang, currency)


def _picked(field: str, values: Sequence[str]) -> Any:
    """A point selection's initial value: the bars whose `field` is one of `values`."""
    return [{field: value} for value in values] or alt.Undefined


def selected_values(event: Any, param: str, field: str) -> list[str]:
    """The `field` values of a Streamlit chart selection event (empty when nothing picked)."""
    if not event:
        return []
    try:
        picked = event["selection"][param]
    except (KeyError, TypeError):
        return []
    values: list[str] = []
    for item in picked or []:
        if isinstance(item, dict) and item.get(field) is not None:
            values.append(str(item[field]))
    return values


# --- any family: one measure per category ------------------------------------------


def measure_bars(rows: Sequence[dict[str, Any]], category: str, value: str, kind: str,
                 title: str, lang: str, currency: str = "EUR", *,
                 stack: str | None = None, rules: Sequence[tuple[float, str]] = (),
                 ) -> alt.TopLevelMixin:
    """Horizontal bars of one measure per category (a rep, an age band...), in row order.

    `kind` is the measure's declared format (it labels bars, tooltips and the
    axis). With `stack`, each row is a piece of its category's bar, coloured by
    that field (a legend names them; no value labels). `rules` are reference
    lines (value, label): the first in the target colour, the others grey.
    A new KPI family draws its chart here instead of adding a function.
    """
    data = [{**row, "label": _format(kind, row[value], lang, currency)} for row in rows]
    order = list(dict.fromkeys(str(row[category]) for row in rows))
    axis = _measure_axis(kind, lang, currency)
    tooltip = [alt.Tooltip(f"{category}:N", title=" "),
               *([alt.Tooltip(f"{stack}:N", title=" ")] if stack else []),
               alt.Tooltip("label:N", title=title)]
    base = alt.Chart(_data(data)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X(f"sum({value}):Q" if stack else f"{value}:Q", title=title, axis=axis),
        tooltip=tooltip,
    )
    if stack:
        layers: list[Any] = [base.mark_bar(cornerRadiusEnd=2).encode(
            color=alt.Color(f"{stack}:N", sort=list(dict.fromkeys(r[stack] for r in rows)),
                            scale=alt.Scale(scheme=STACK_SCHEME)))]
    else:
        layers = [base.mark_bar(color=BAR_COLOR, cornerRadiusEnd=2),
                  *_value_labels(base, len(order), "label:N", color=BAR_COLOR)]
    highest = max((at for at, _ in rules), default=None)
    for index, (at, label) in enumerate(rules):
        # The highest line's label runs right, the others' left: never over each other.
        layers.append(_rule(at, label, TARGET_COLOR if index == 0 else AVERAGE_COLOR,
                            dash=(1, 0) if index == 0 else (6, 4),
                            side="right" if at == highest else "left"))
    room = LEGEND_ROOM if stack or rules else 0
    chart = alt.layer(*layers).properties(height=_bar_height(len(order)) + room,
                                          **({} if stack else _label_room(len(order))))
    return _finish(chart, lang, currency)
