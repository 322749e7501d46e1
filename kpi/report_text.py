"""The `--format text` output: a summary a manager can paste into an email.

It reads the same dictionary as the JSON output (docs/report-command.md), so text and
JSON never disagree; strings and number formats come from kpi.i18n.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kpi.i18n import (
    DEFAULT_CURRENCY,
    format_date,
    format_money,
    format_multiple,
    format_number,
    format_percent,
    t,
)
from kpi.metrics._common import ReportSection
from kpi.metrics.report import report_sections


def import_text(files: list[dict[str, Any]], lang: str = "en") -> str:
    """One line per file, then its warnings, notes and rejected rows (at most 20 per file),
    each already in `lang` (kpi.__main__.import_report)."""
    lines = [t("report.import", lang)]
    for f in files:
        lines.append("- " + t(
            "report.import_line", lang, file=f["file"], table=t(f"table.{f['table']}", lang),
            read=format_number(f["rows_read"], lang),
            accepted=format_number(f["rows_accepted"], lang),
            rejected=format_number(f["rows_rejected"], lang)))
        for note in [*f.get("warnings", []), *f.get("notes", [])]:
            lines.append(f"    {note}")
        for reject in f.get("rejects", [])[:20]:
            where = f"{reject['row']}" + (f", {reject['column']}" if reject.get("column") else "")
            lines.append(f"    [{where}] {reject['reason']}")
    return "\n".join(lines)


def _pair(label: str, value: str, lang: str) -> str:
    """'Label: value', with French typography's space before the colon."""
    return f"{label} : {value}" if lang == "fr" else f"{label}: {value}"


def _channels(ids: list[str], lang: str) -> str:
    return ", ".join(t(f"channel.{c}", lang) for c in ids) or t("report.none", lang)


def report_text(report: dict[str, Any], lang: str = "en") -> str:
    """The headline KPIs of every family, in `lang`, money in the filters' currency."""
    f = report["filters"]
    code = f.get("currency")
    money = lambda v: format_money(v, lang, code or DEFAULT_CURRENCY)  # noqa: E731 - shorthand
    percent = lambda v: format_percent(v, lang)  # noqa: E731
    number = lambda v: format_number(v, lang)  # noqa: E731
    p = report["pipeline"]
    lines = [
        t("report.title", lang),
        t("report.period", lang, start=format_date(f["date_from"], lang),
          end=format_date(f["date_to"], lang)),
        *([_pair(t("report.currency", lang), code, lang)] if code else []),
        "",
        f"## {t('report.pipeline', lang)}",
        _pair(t("report.win_rate", lang), percent(p['win_rate']), lang),
        _pair(t("report.won_revenue", lang), money(p['won_revenue']), lang),
        _pair(t("report.avg_deal_value", lang), money(p['avg_deal_value']), lang),
        _pair(t("report.cycle", lang),
              f"{t('report.days', lang, n=format_number(p['avg_cycle_days'], lang, 1))} / "
              f"{t('report.days', lang, n=format_number(p['median_cycle_days'], lang, 1))}",
              lang),
        _pair(t("report.open", lang), t("report.open_value", lang, n=number(p["open_deals"]),
                                        value=money(p["open_pipeline_value"])), lang),
    ]
    s = report["social_selling"]
    lines += [
        "",
        f"## {t('report.social', lang, channel=t('channel.' + f['social_channel'], lang))}",
        t("report.social_line", lang, leads=number(s["leads"]), customers=number(s["customers"]),
          rate=percent(s["lead_to_customer_rate"])),
        _pair(t("report.avg_deal_value", lang),
              f"{money(s['avg_deal_value'])} ({money(s['avg_deal_value_other'])})", lang),
    ]
    pr = report["proposals"]
    lines += [
        "",
        f"## {t('report.proposals', lang)}",
        t("report.proposals_line", lang, sent=number(pr["sent"]), won=number(pr["won"]),
          lost=number(pr["lost"]), pending=number(pr["pending"]),
          rate=percent(pr["conversion_rate"])),
        _pair(t("report.forecast", lang), money(pr['forecast_revenue']), lang),
    ]
    if pr.get("stale"):  # reports saved before stale proposals were counted have none
        lines.append(_pair(t("report.stale", lang, days=number(pr["stale_days"])),
                           f"{number(pr['stale'])} ({money(pr['stale_value'])})", lang))
    c = report["content"]
    lines += [
        "",
        f"## {t('report.content', lang)}",
        t("report.content_line", lang, rate=percent(c["usage_rate"]),
          decks=number(c["decks_shared"]), articles=number(c["articles_shared"]),
          posts=number(c["own_posts"]), views=number(c["views"]), likes=number(c["likes"])),
    ]
    focus = report["channel_focus"]
    lines += [
        "",
        f"## {t('report.channels', lang)}",
        _pair(t("report.keep", lang), _channels(focus["keep"], lang), lang),
        _pair(t("report.reduce", lang), _channels(focus["reduce"], lang), lang),
        _pair(t("report.insufficient", lang), _channels(focus["insufficient_data"], lang), lang),
        _pair(t("report.catch_all", lang), _channels(focus.get("catch_all", []), lang), lang),
    ]
    comp = report["compensation"]
    lines += [
        "",
        f"## {t('report.compensation', lang)}",
        _pair(t("report.team_ratio", lang), format_multiple(comp['team_ratio'], lang), lang),
    ]
    for rep in comp["reps"]:
        lines.append("- " + t("report.rep_line", lang, rep=rep["owner"],
                               ratio=format_multiple(rep["ratio"], lang),
                               revenue=money(rep["revenue"]), package=money(rep["package"])))
    without = ", ".join(comp["reps_without_package"]) or t("report.none", lang)
    lines.append(_pair(t("report.no_package", lang), without, lang))
    for section in report_sections():
        lines += ["", *_section_lines(section, report[section.key], lang, money)]
    return "\n".join(lines)


def _value(value: Any, kind: str | None, lang: str, money: Callable[[Any], str]) -> str:
    """One figure as the language writes it, by its declared format."""
    if value is None:
        return t("report.na", lang)
    if kind == "money":
        return money(value)
    if kind == "percent":
        return format_percent(value, lang)
    if kind == "multiple":
        return format_multiple(value, lang)
    if kind == "days":
        return t("report.days", lang, n=format_number(value, lang, 1 if value % 1 else 0))
    if kind == "count":
        return format_number(value, lang)
    if kind == "date":
        return format_date(value, lang)
    return str(value)


def _section_lines(section: ReportSection, figures: dict[str, Any], lang: str,
                   money: Callable[[Any], str]) -> list[str]:
    """A registered family's figures: a heading, 'Label: value' per figure, a line per row.

    Labels are the family's own texts, `<key>.<figure>` (the page uses them
    too), the heading `<key>.title`; a row starts with its `row_label` field
    (else its first field), then every other field that has a format.
    """
    def label(name: str) -> str:
        return t(f"{section.key}.{name}", lang)

    def value(name: str, item: Any) -> str:
        return _value(item, section.formats.get(name), lang, money)

    lines = [f"## {label('title')}"]
    for name, item in figures.items():
        if not isinstance(item, list):
            lines.append(_pair(label(name), value(name, item), lang))
            continue
        lines.append(_pair(label(name), t("report.none", lang) if not item
                           else format_number(len(item), lang), lang))
        for row in item:
            first = section.row_label if section.row_label in row else next(iter(row))
            details = ", ".join(_pair(label(field), value(field, cell), lang)
                                for field, cell in row.items()
                                if field != first and field in section.formats)
            name = t("report.na", lang) if row[first] is None else str(row[first])
            lines.append(f"- {_pair(name, details, lang)}")
    return lines
