"""Altair charts built from metric results (aggregated rows only); no Streamlit here.

Conventions shared by every chart, so the pages look like one product:

- a channel always has the same colour (`CHANNEL_COLORS`, one per id of
  kpi.schema.CHANNELS) and a rep the same colour on every page (`rep_colors`,
  from the workspace's full list of reps, so a filter does not repaint them);
- tooltips show values already formatted for the language (`*_label` fields
  computed with kpi.i18n), and Vega's number/time locale is set for the axes;
  the engagement chart (reps x months rows) formats its tooltip with that
  locale instead, to keep its payload small;
- rep names and other uploaded text only travel as data (encodings, tooltips):
  Vega tooltips escape HTML, so `<b>Zoé</b>` shows as text;
- no text colour is hard-coded: axes and legends follow Streamlit's light or
  dark theme; marks use mid-tone colours readable on both;
- target and threshold lines are `rule` layers with a short label;
- the width follows the container (pages draw with width="stretch"); the
  height of a bar chart grows with its number of bars.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import altair as alt

from kpi.i18n import (
    CURRENCY_SYMBOLS,
    MONTHS,
    NARROW_NBSP,
    NBSP,
    format_money,
    format_multiple,
    format_number,
    format_percent,
    t,
)
from kpi.metrics.channels import ChannelsResult
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

# Reps: a qualitative palette of mid-tone colours (readable on white and on dark).
# No pure red in it: red is kept for the target and threshold rules.
REP_PALETTE: tuple[str, ...] = (
    "#4c78a8", "#f58518", "#54a24b", "#b279a2", "#72b7b2", "#eeca3b", "#9d755d", "#ff9da6",
    "#6a51a3", "#17becf", "#8c6d31", "#bcbd22", "#1f77b4", "#2ca02c", "#9467bd", "#e377c2",
    "#8c564b", "#ff7f0e", "#bab0ac", "#3182bd",
)  # fmt: skip

STATUS_COLORS: dict[str, str] = {"won": "#22a06b", "lost": "#e5484d", "open": "#f5a524"}
CONTENT_COLORS: dict[str, str] = {
    "decks_shared": "#4c78a8", "articles_shared": "#f58518", "own_posts": "#54a24b",
}  # fmt: skip
TARGET_COLOR = "#e5484d"  # target / threshold rules: a red that reads on both themes
AVERAGE_COLOR = "#8b8b8b"  # reference averages (team, other channels): grey dashed

BAR_STEP = 28  # pixels per bar in horizontal bar charts
LEGEND_HEIGHT = 320  # month charts with a legend above them (it takes from the height)
MIN_HEIGHT = 140
LABEL_LIMIT = 140  # long rep / channel names are cut with an ellipsis (tooltip has all)

CHANNEL_SELECTION = "channel_pick"
REP_SELECTION = "rep_pick"


# --- colours -------------------------------------------------------------------


def rep_colors(reps: Iterable[str]) -> dict[str, str]:
    """A colour per rep, by their place in the sorted list of all the workspace's reps.

    Pages pass every rep of the workspace (not only the filtered ones), so a
    rep keeps their colour whatever the filters.
    """
    return {rep: REP_PALETTE[i % len(REP_PALETTE)] for i, rep in enumerate(sorted(set(reps)))}


def _rep_scale(reps: Sequence[str], colors: dict[str, str]) -> alt.Scale:
    domain = list(dict.fromkeys(reps))
    fallback = rep_colors(domain)
    return alt.Scale(domain=domain, range=[colors.get(r, fallback[r]) for r in domain])


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


# --- locale --------------------------------------------------------------------


def _currency_affix(currency: str, lang: str) -> list[str]:
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if lang == "fr":
        return ["", f"{NBSP}{symbol}"]
    return [symbol if len(symbol) == 1 else f"{symbol} ", ""]


_FR_DAYS = ("dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi")
_EN_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")


def vega_locale(lang: str, currency: str = "EUR") -> dict[str, Any]:
    """Vega's number and time locale, so axis ticks read like the rest of the page."""
    fr = lang == "fr"
    days = _FR_DAYS if fr else _EN_DAYS
    return {
        "number": {
            "decimal": "," if fr else ".",
            "thousands": NARROW_NBSP if fr else ",",
            "grouping": [3],
            "currency": _currency_affix(currency, lang),
            "percent": f"{NBSP}%" if fr else "%",
        },
        "time": {
            "dateTime": "%A %e %B %Y à %X" if fr else "%x, %X",
            "date": "%d/%m/%Y" if fr else "%-m/%-d/%Y",
            "time": "%H:%M:%S" if fr else "%-I:%M:%S %p",
            "periods": ["AM", "PM"],
            "days": list(days),
            "shortDays": [d[:3] + ("." if fr else "") for d in days],
            "months": list(_FR_MONTHS if fr else _EN_MONTHS),
            "shortMonths": list(MONTHS["fr" if fr else "en"]),
        },
    }


def _finish(chart: alt.TopLevelMixin, lang: str, currency: str) -> alt.TopLevelMixin:
    """Common configuration: locale, readable labels, no chart border."""
    return chart.configure(locale=vega_locale(lang, currency)).configure_axis(
        labelLimit=LABEL_LIMIT, titlePadding=8,
    ).configure_view(stroke=None).configure_legend(orient="top", title=None,
                                                  labelLimit=LABEL_LIMIT)


def month_label(month: date, lang: str) -> str:
    """'Mar 2024' / 'mars 2024'."""
    return f"{MONTHS[lang if lang in MONTHS else 'en'][month.month - 1]} {month.year}"


def _bar_height(count: int) -> int:
    return max(MIN_HEIGHT, BAR_STEP * max(count, 1) + 40)


_MONEY_AXIS = "$.3~s"  # €1.2M / 1,2 M€ : short ticks; tooltips carry the exact value
_PERCENT_AXIS = ".0%"


MIN_MONTHS_SHOWN = 6  # a monthly bar chart spans at least this many months


def _month_x(title: str, rows: Sequence[dict[str, Any]] = ()) -> alt.X:
    """A month axis; for bars, pass the rows so a short period does not draw one huge bar.

    With a single month, Vega-Lite stretches the bar over the whole width; the
    domain is widened around the data to MIN_MONTHS_SHOWN months instead.
    """
    scale = alt.Undefined
    months = sorted({_month_index(date.fromisoformat(r["month"])) for r in rows})
    if months and months[-1] - months[0] + 1 < MIN_MONTHS_SHOWN:
        first = months[0] - (MIN_MONTHS_SHOWN - (months[-1] - months[0] + 1)) // 2
        scale = alt.Scale(domain=[_month_datetime(first),
                                  _month_datetime(first + MIN_MONTHS_SHOWN)])
    return alt.X("month:T", timeUnit="utcyearmonth", title=title, scale=scale,
                 axis=alt.Axis(format="%b %Y", labelAngle=0, labelOverlap=True, tickCount=6))


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_datetime(index: int) -> alt.DateTime:
    return alt.DateTime(year=index // 12, month=index % 12 + 1, date=1, utc=True)


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)


def _rule(value: float, label: str, color: str, axis: str = "x",
          dash: Sequence[int] = (6, 4)) -> alt.LayerChart:
    """A reference line at `value` with its label; `axis` is the value's axis."""
    data = _data([{"value": value, "label": label}])
    base = alt.Chart(data)
    enc: dict[str, Any] = {axis: alt.X("value:Q") if axis == "x" else alt.Y("value:Q")}
    rule = base.mark_rule(color=color, strokeWidth=2, strokeDash=list(dash)).encode(
        **enc, tooltip=[alt.Tooltip("label:N", title=" ")])
    if axis == "x":
        # above the plot area, so the label never sits on a bar
        text = base.mark_text(color=color, align="left", baseline="bottom", dx=-2, dy=-4,
                              fontWeight="bold").encode(x="value:Q", y=alt.value(0),
                                                        text="label:N")
    else:
        text = base.mark_text(color=color, align="right", baseline="bottom", dy=-3,
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


def won_revenue_by_month(result: PipelineResult, lang: str, currency: str = "EUR") -> alt.Chart:
    """Bars: revenue won per month of closing."""
    rows = pipeline_month_rows(result, lang, currency)
    chart = alt.Chart(_data(rows)).mark_bar(color="#4c78a8", cornerRadiusEnd=2).encode(
        x=_month_x(t("chart.month_closed", lang), rows),
        y=alt.Y("won_revenue:Q", title=t("kpi.won_revenue", lang),
                axis=alt.Axis(format=_MONEY_AXIS)),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("won_revenue_label:N", title=t("kpi.won_revenue", lang)),
            alt.Tooltip("deals_label:N", title=t("chart.deals", lang)),
        ],
    ).properties(height=260)
    return _finish(chart, lang, currency)


def win_rate_by_month(result: PipelineResult, lang: str, currency: str = "EUR") -> alt.LayerChart:
    """Line and points: win rate per month, with the period's win rate as a dashed rule."""
    rows = [r for r in pipeline_month_rows(result, lang, currency) if r["win_rate"] is not None]
    base = alt.Chart(_data(rows)).encode(
        x=_month_x(t("chart.month_closed", lang)),
        y=alt.Y("win_rate:Q", title=t("kpi.win_rate", lang),
                axis=alt.Axis(format=_PERCENT_AXIS), scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("win_rate_label:N", title=t("kpi.win_rate", lang)),
            alt.Tooltip("deals_label:N", title=t("chart.deals", lang)),
        ],
    )
    layers: list[Any] = [base.mark_line(color="#4c78a8", strokeWidth=2),
                         base.mark_point(color="#4c78a8", filled=True, size=50)]
    if result.win_rate is not None:
        layers.append(_rule(result.win_rate, t("chart.period_average", lang,
                                               value=format_percent(result.win_rate, lang)),
                            AVERAGE_COLOR, axis="y"))
    return _finish(alt.layer(*layers).properties(height=260), lang, currency)


def open_pipeline_by_rep(result: PipelineResult, lang: str, currency: str = "EUR",
                         colors: dict[str, str] | None = None) -> alt.Chart:
    """Horizontal bars: value of the open deals per rep, coloured by rep."""
    reps = sorted((r for r in result.by_rep if r.open_deals), key=lambda r: -r.open_pipeline_value)
    rows = [{
        "owner": r.owner,
        "open_pipeline_value": r.open_pipeline_value,
        "value_label": format_money(r.open_pipeline_value, lang, currency),
        "deals_label": format_number(r.open_deals, lang),
    } for r in reps]
    names = [r["owner"] for r in rows]
    chart = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y("owner:N", sort=names, title=None),
        x=alt.X("open_pipeline_value:Q", title=t("kpi.open_pipeline", lang),
                axis=alt.Axis(format=_MONEY_AXIS)),
        color=alt.Color("owner:N", scale=_rep_scale(names, colors or {}), legend=None),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("value_label:N", title=t("kpi.open_pipeline", lang)),
            alt.Tooltip("deals_label:N", title=t("kpi.open_deals", lang)),
        ],
    ).properties(height=_bar_height(len(rows)))
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
    """Average won deal value per channel; the chosen one solid, others faded; rule = others."""
    labels = {c.channel: channel_label(c.channel, lang) for c in result.by_channel}
    rows = [{
        "channel": c.channel,
        "channel_label": labels[c.channel],
        "avg_deal_value": c.avg_deal_value,
        "value_label": format_money(c.avg_deal_value, lang, currency),
        "won_label": format_number(c.won, lang),
        "selected": c.selected,
    } for c in sorted(result.by_channel, key=lambda c: -(c.avg_deal_value or 0))
        if c.avg_deal_value is not None]
    order = [r["channel_label"] for r in rows]
    bars = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y("channel_label:N", sort=order, title=None),
        x=alt.X("avg_deal_value:Q", title=t("kpi.avg_deal_value", lang),
                axis=alt.Axis(format=_MONEY_AXIS)),
        color=alt.Color("channel_label:N", scale=_channel_scale(labels), legend=None),
        opacity=alt.condition("datum.selected", alt.value(1.0), alt.value(0.45)),
        tooltip=[
            alt.Tooltip("channel_label:N", title=t("chart.channel", lang)),
            alt.Tooltip("value_label:N", title=t("kpi.avg_deal_value", lang)),
            alt.Tooltip("won_label:N", title=t("kpi.won_deals", lang)),
        ],
    )
    layers: list[Any] = [bars]
    if result.avg_deal_value_other is not None:
        layers.append(_rule(result.avg_deal_value_other, t(
            "social.other_average", lang,
            value=format_money(result.avg_deal_value_other, lang, currency)), AVERAGE_COLOR))
    return _finish(alt.layer(*layers).properties(height=_bar_height(len(rows))), lang, currency)


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
        opacity=alt.condition(alt.datum.order == 0, alt.value(0.45), alt.value(1.0)),
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
                 currency: str, colors: dict[str, str] | None) -> alt.LayerChart:
    """Horizontal bars of a 0-1 rate per rep (best first), the team's rate as a rule.

    `rows` carry `owner`, the rate field and `rate_label`; `details` are the
    other tooltip fields as (field, title).
    """
    names = [r["owner"] for r in rows]
    bars = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
        y=alt.Y("owner:N", sort=names, title=None),
        x=alt.X(f"{rate_field}:Q", title=rate_title,
                axis=alt.Axis(format=_PERCENT_AXIS), scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("owner:N", scale=_rep_scale(names, colors or {}), legend=None),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("rate_label:N", title=rate_title),
            *(alt.Tooltip(f"{field}:N", title=title) for field, title in details),
        ],
    )
    layers: list[Any] = [bars]
    if team_rate is not None:
        layers.append(_rule(team_rate, t(
            "chart.team_value", lang, value=format_percent(team_rate, lang)), AVERAGE_COLOR))
    return _finish(alt.layer(*layers).properties(height=_bar_height(len(rows))), lang, currency)


def conversion_by_rep(result: ProposalsResult, lang: str, currency: str = "EUR",
                      colors: dict[str, str] | None = None) -> alt.LayerChart:
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
                        result.conversion_rate, lang, currency, colors)


def forecast_by_month(result: ProposalsResult, lang: str, currency: str = "EUR") -> alt.Chart:
    """Pending value per expected decision month, with the weighted forecast inside it."""
    kinds = ("pending_value", "forecast_revenue")
    names = {k: t(f"proposals.{k}", lang) for k in kinds}
    rows = []
    for m in result.forecast:
        for i, kind in enumerate(kinds):
            value = getattr(m, kind)
            if value is None:
                continue
            rows.append({
                "month": m.month.isoformat(), "month_label": month_label(m.month, lang),
                "kind": names[kind], "order": i, "value": value,
                "pending_label": format_money(m.pending_value, lang, currency),
                "forecast_label": format_money(m.forecast_revenue, lang, currency),
                "count_label": format_number(m.pending, lang),
            })
    domain = [names[k] for k in kinds]
    chart = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2).encode(
        x=_month_x(t("chart.month_expected", lang), rows),
        y=alt.Y("value:Q", title=t("chart.amount", lang), stack=None,
                axis=alt.Axis(format=_MONEY_AXIS)),
        color=alt.Color("kind:N", sort=domain,
                        scale=alt.Scale(domain=domain, range=["#9ecae9", "#4c78a8"])),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("month_label:N", title=t("chart.month", lang)),
            alt.Tooltip("count_label:N", title=t("proposals.pending", lang)),
            alt.Tooltip("pending_label:N", title=names["pending_value"]),
            alt.Tooltip("forecast_label:N", title=names["forecast_revenue"]),
        ],
    ).properties(height=LEGEND_HEIGHT)
    return _finish(chart, lang, currency)


# --- content ------------------------------------------------------------------------


def usage_by_rep(result: ContentResult, lang: str, currency: str = "EUR",
                 colors: dict[str, str] | None = None) -> alt.LayerChart:
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
                        currency, colors)


CONTENT_KINDS = ("decks_shared", "articles_shared", "own_posts")


def content_mix_by_rep(result: ContentResult, lang: str, currency: str = "EUR") -> alt.Chart:
    """Stacked bars per rep: decks shared, articles shared, own posts."""
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
    chart = alt.Chart(_data(rows)).mark_bar().encode(
        y=alt.Y("owner:N", sort=owners, title=None),
        x=alt.X("count:Q", title=t("chart.count", lang), stack="zero",
                axis=alt.Axis(format=",d")),
        color=alt.Color("kind:N", sort=domain, legend=alt.Legend(columns=2),
                        scale=alt.Scale(domain=domain,
                                        range=[CONTENT_COLORS[k] for k in CONTENT_KINDS])),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("kind:N", title=" "),
            alt.Tooltip("count_label:N", title=t("chart.count", lang)),
        ],
    ).properties(height=_bar_height(len(owners)) + 40)
    return _finish(chart, lang, currency)


ENGAGEMENT_MAX_REPS = 12  # lines in the engagement chart (the most viewed reps)


def engagement_reps(result: ContentResult) -> list[str]:
    """Reps with any content event in the period, most viewed first (then by name)."""
    active = (r for r in result.by_rep if r.decks_shared + r.articles_shared + r.own_posts)
    return [r.owner for r in sorted(active, key=lambda r: (-r.views, r.owner))]


def engagement_over_time(result: ContentResult, lang: str, measure: str = "views",
                         currency: str = "EUR", colors: dict[str, str] | None = None
                         ) -> alt.Chart:
    """Views (or likes) per month of events, one line per rep (the ENGAGEMENT_MAX_REPS first).

    The one chart with reps x months rows: they carry numbers only and the
    tooltip formats them with Vega's locale (set by _finish: month names and
    thousands separators as kpi.i18n writes them), so the payload stays small.
    """
    names = engagement_reps(result)[:ENGAGEMENT_MAX_REPS]
    shown = set(names)
    rows = [{"owner": r.owner, "month": r.month.isoformat(), "views": r.views, "likes": r.likes}
            for r in result.by_rep_month if r.owner in shown]
    chart = alt.Chart(_data(rows)).mark_line(point=True, strokeWidth=2).encode(
        x=_month_x(t("chart.month", lang)),
        y=alt.Y(f"{measure}:Q", title=t(f"kpi.{measure}", lang), axis=alt.Axis(format=",d")),
        color=alt.Color("owner:N", scale=_rep_scale(sorted(names), colors or {}),
                        legend=alt.Legend(orient="right")),  # many reps: a list reads best
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("month:T", timeUnit="utcyearmonth", format="%b %Y",
                        title=t("chart.month", lang)),
            alt.Tooltip("views:Q", format=",d", title=t("kpi.views", lang)),
            alt.Tooltip("likes:Q", format=",d", title=t("kpi.likes", lang)),
        ],
    ).properties(height=LEGEND_HEIGHT)
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


def _format(kind: str, value: float | None, lang: str, currency: str) -> str:
    if kind == "money":
        return format_money(value, lang, currency)
    if kind == "percent":
        return format_percent(value, lang)
    if kind == "multiple":
        return format_multiple(value, lang)
    return format_number(value, lang)


def channel_measure(result: ChannelsResult, measure: str, lang: str, currency: str = "EUR",
                    selectable: bool = True) -> alt.TopLevelMixin:
    """One measure per channel as horizontal bars, coloured by channel.

    A click selects a channel (selection param `channel_pick` on the `channel`
    field, for the page's drill-down). On the `closed` measure the
    `min_closed` threshold of the channel focus is drawn as a rule.
    """
    kind = CHANNEL_MEASURES[measure]
    decisions = {item.channel: decision for decision in ("keep", "reduce", "insufficient_data")
                 for item in getattr(result.focus, decision)}
    labels = {r.channel: channel_label(r.channel, lang) for r in result.channels}
    present = [r for r in result.channels if getattr(r, measure) is not None]
    present.sort(key=lambda r: (-(getattr(r, measure) or 0), r.channel))
    rows = [{
        "channel": r.channel,
        "channel_label": labels[r.channel],
        "value": getattr(r, measure),
        "value_label": _format(kind, getattr(r, measure), lang, currency),
        "closed_label": format_number(r.closed, lang),
        "win_rate_label": format_percent(r.win_rate, lang),
        "revenue_label": format_money(r.revenue, lang, currency),
        "decision": t(f"focus.{decisions.get(r.channel, 'insufficient_data')}", lang),
    } for r in present]
    order = [r["channel_label"] for r in rows]
    axis_format = {"money": _MONEY_AXIS, "percent": _PERCENT_AXIS}.get(kind, ",.0f")
    selection = alt.selection_point(name=CHANNEL_SELECTION, fields=["channel"], on="click",
                                    clear="dblclick", empty=True)
    bars = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2, cursor="pointer").encode(
        y=alt.Y("channel_label:N", sort=order, title=None),
        x=alt.X("value:Q", title=t(f"kpi.{measure}", lang), axis=alt.Axis(format=axis_format)),
        color=alt.Color("channel_label:N", scale=_channel_scale(labels), legend=None),
        tooltip=[
            alt.Tooltip("channel_label:N", title=t("chart.channel", lang)),
            alt.Tooltip("value_label:N", title=t(f"kpi.{measure}", lang)),
            alt.Tooltip("closed_label:N", title=t("kpi.closed", lang)),
            alt.Tooltip("win_rate_label:N", title=t("kpi.win_rate", lang)),
            alt.Tooltip("revenue_label:N", title=t("kpi.revenue", lang)),
            alt.Tooltip("decision:N", title=t("focus.decision", lang)),
        ],
    )
    if selectable:
        bars = bars.encode(opacity=alt.condition(selection, alt.value(1.0), alt.value(0.35))
                           ).add_params(selection)
    layers: list[Any] = [bars]
    if measure == "closed":
        threshold = max(result.focus.min_closed, 1)
        layers.append(_rule(threshold, t("focus.min_closed_rule", lang,
                                         n=format_number(threshold, lang)), TARGET_COLOR))
    return _finish(alt.layer(*layers).properties(height=_bar_height(len(rows))), lang, currency)


# --- packages vs revenue ---------------------------------------------------------


def ratio_by_rep(result: CompensationResult, lang: str, currency: str = "EUR",
                 colors: dict[str, str] | None = None, selectable: bool = True
                 ) -> alt.TopLevelMixin:
    """Revenue / package per rep, against the target multiple (red rule) and the team (grey).

    Bars below the target are faded. A click selects a rep (`rep_pick`, field `owner`).
    """
    reps = sorted((r for r in result.reps if r.ratio is not None),
                  key=lambda r: (-(r.ratio or 0), r.owner))
    yes, no = t("comp.meets_yes", lang), t("comp.meets_no", lang)
    rows = [{
        "owner": r.owner, "ratio": r.ratio,
        "ratio_label": format_multiple(r.ratio, lang),
        "revenue_label": format_money(r.revenue, lang, currency),
        "package_label": format_money(r.package, lang, currency),
        "meets": yes if r.meets_target else no,
        "meets_target": bool(r.meets_target),
    } for r in reps]
    names = [r["owner"] for r in rows]
    selection = alt.selection_point(name=REP_SELECTION, fields=["owner"], on="click",
                                    clear="dblclick", empty=True)
    bars = alt.Chart(_data(rows)).mark_bar(cornerRadiusEnd=2, cursor="pointer").encode(
        y=alt.Y("owner:N", sort=names, title=None),
        x=alt.X("ratio:Q", title=t("kpi.ratio", lang),
                axis=alt.Axis(tickCount=6, labelExpr="format(datum.value, '.1~f') + '×'")),
        color=alt.Color("owner:N", scale=_rep_scale(names, colors or {}), legend=None),
        tooltip=[
            alt.Tooltip("owner:N", title=t("chart.rep", lang)),
            alt.Tooltip("ratio_label:N", title=t("kpi.ratio", lang)),
            alt.Tooltip("revenue_label:N", title=t("kpi.won_revenue", lang)),
            alt.Tooltip("package_label:N", title=t("kpi.package", lang)),
            alt.Tooltip("meets:N", title=t("comp.meets_target", lang)),
        ],
    )
    if selectable:
        opacity = alt.condition(selection, alt.value(1.0), alt.value(0.3))
        bars = bars.encode(opacity=opacity).add_params(selection)
    layers: list[Any] = [bars]
    layers.append(_rule(result.target_multiple, t(
        "comp.target_rule", lang, value=format_multiple(result.target_multiple, lang)),
        TARGET_COLOR, dash=(1, 0)))
    if result.team_ratio is not None:
        layers.append(_rule(result.team_ratio, t(
            "chart.team_value", lang, value=format_multiple(result.team_ratio, lang)),
            AVERAGE_COLOR))
    chart = alt.layer(*layers).properties(height=_bar_height(len(rows)) + 16)
    return _finish(chart, lang, currency)


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
