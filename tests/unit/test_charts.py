"""Chart specs built from real metric results: encodings, rules, tooltips, colours, size."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import pytest

from kpi import charts
from kpi.metrics import (
    compute_channels,
    compute_compensation,
    compute_content,
    compute_pipeline,
    compute_proposals,
    compute_social_selling,
)
from kpi.metrics.pipeline import PipelineMonth, PipelineResult
from kpi.schema import CHANNELS, TABLE_COLUMNS, Filters

REPS = ["<img src=x onerror=alert(1)>Zoé"] + [f"Rep {i:02d}" for i in range(29)]
MAX_BYTES = 100_000


def _create(con: duckdb.DuckDBPyConnection) -> None:
    for kind, columns in TABLE_COLUMNS.items():
        cols = ", ".join(f'"{name}" {kind_}' for name, kind_ in columns.items())
        con.execute(f'CREATE TABLE "{kind.value}" ({cols})').fetchall()


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> None:
    """Execute with the parameters the SQL names (DuckDB refuses extra ones) and drain."""
    wanted = set(re.findall(r"\$(\w+)", sql))
    con.execute(sql, {k: v for k, v in params.items() if k in wanted}).fetchall()


def fill(con: duckdb.DuckDBPyConnection, deals: int) -> None:
    """`deals` deals over three years, and the other tables in proportion."""
    p = {"reps": REPS, "channels": list(CHANNELS), "n": deals}
    _run(con, """
        INSERT INTO deals (deal_id, deal_name, owner, channel, status, amount, created_at,
                           closed_at, proposal_sent_at, currency)
        SELECT 'D' || i, 'Deal ' || i, list_extract($reps::VARCHAR[], 1 + i % 30),
               list_extract($channels::VARCHAR[], 1 + (i * 7) % 14),
               CASE WHEN hash(i) % 10 < 3 THEN 'won' WHEN hash(i) % 10 < 7 THEN 'lost'
                    ELSE 'open' END,
               500 + hash(i * 3) % 20000,
               DATE '2023-01-01' + CAST(hash(i * 5) % 1000 AS INTEGER),
               CASE WHEN hash(i) % 10 < 7
                    THEN DATE '2023-01-01' + CAST(hash(i * 5) % 1000 + hash(i) % 120 AS INTEGER)
               END,
               DATE '2023-01-01' + CAST(hash(i * 5) % 1000 + 3 AS INTEGER), 'EUR'
        FROM range($n) t(i)""", p)
    _run(con, """
        INSERT INTO leads (lead_id, created_at, owner, channel, converted_at)
        SELECT 'L' || i, DATE '2023-01-01' + CAST(hash(i) % 1000 AS INTEGER),
               list_extract($reps::VARCHAR[], 1 + i % 30),
               list_extract($channels::VARCHAR[], 1 + i % 5),
               CASE WHEN i % 4 = 0 THEN DATE '2023-01-01' + CAST(hash(i) % 1000 + 9 AS INTEGER) END
        FROM range($n) t(i)""", p)
    _run(con, """
        INSERT INTO proposals (proposal_id, deal_id, owner, sent_at, amount, status)
        SELECT 'P' || i, 'D' || i, list_extract($reps::VARCHAR[], 1 + i % 30),
               DATE '2023-01-01' + CAST(hash(i * 7) % 1000 AS INTEGER), 1000 + i % 5000,
               list_extract(['won', 'lost', 'open'], 1 + CAST(hash(i) % 3 AS INTEGER))
        FROM range($n // 2) t(i)""", p)
    _run(con, """
        INSERT INTO content (date, owner, kind, deal_id, title, views, likes)
        SELECT DATE '2023-01-01' + CAST(hash(i * 11) % 1000 AS INTEGER),
               list_extract($reps::VARCHAR[], 1 + i % 30),
               list_extract(['deck_shared', 'article_shared', 'own_post'], 1 + i % 3),
               'D' || (i * 3), 'T' || i, hash(i) % 500, hash(i) % 50
        FROM range($n) t(i)""", p)
    _run(con, """
        INSERT INTO compensation (owner, month, package)
        SELECT list_extract($reps::VARCHAR[], 1 + r), DATE '2023-01-01' + INTERVAL (m) MONTH,
               5000 + r * 100
        FROM range(29) a(r), range(36) b(m)""", p)
    _run(con, """
        INSERT INTO channel_costs (channel, month, spend)
        SELECT list_extract($channels::VARCHAR[], 1 + c), DATE '2023-01-01' + INTERVAL (m) MONTH,
               1000 + c * 100
        FROM range(14) a(c), range(36) b(m)""", p)


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(":memory:")
    _create(connection)
    fill(connection, 200_000)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def results(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    f = Filters()
    return {
        "pipeline": compute_pipeline(con, f),
        "social": compute_social_selling(con, f),
        "proposals": compute_proposals(con, f),
        "content": compute_content(con, f),
        "channels": compute_channels(con, Filters(min_closed=5000)),
        "compensation": compute_compensation(con, Filters(target_multiple=3.0)),
    }


def every_chart(results: dict[str, Any], lang: str) -> dict[str, Any]:
    colors = charts.rep_colors(REPS)
    r = results
    built = {
        "won_revenue_by_month": charts.won_revenue_by_month(r["pipeline"], lang),
        "win_rate_by_month": charts.win_rate_by_month(r["pipeline"], lang),
        "open_pipeline_by_rep": charts.open_pipeline_by_rep(r["pipeline"], lang, colors=colors),
        "social_funnel": charts.social_funnel(r["social"], lang),
        "deal_value_by_channel": charts.deal_value_by_channel(r["social"], lang),
        "social_by_month": charts.social_by_month(r["social"], lang),
        "proposals_by_month": charts.proposals_by_month(r["proposals"], lang),
        "conversion_by_rep": charts.conversion_by_rep(r["proposals"], lang, colors=colors),
        "forecast_by_month": charts.forecast_by_month(r["proposals"], lang),
        "usage_by_rep": charts.usage_by_rep(r["content"], lang, colors=colors),
        "content_mix_by_rep": charts.content_mix_by_rep(r["content"], lang),
        "engagement_over_time": charts.engagement_over_time(r["content"], lang, colors=colors),
        "ratio_by_rep": charts.ratio_by_rep(r["compensation"], lang, colors=colors),
    }
    for measure in charts.CHANNEL_MEASURES:
        built[f"channel_{measure}"] = charts.channel_measure(r["channels"], measure, lang)
    return {name: chart.to_dict() for name, chart in built.items()}


@pytest.fixture(scope="module")
def specs(results: dict[str, Any]) -> dict[str, Any]:
    return every_chart(results, "en")


@pytest.fixture(scope="module")
def specs_fr(results: dict[str, Any]) -> dict[str, Any]:
    return every_chart(results, "fr")


# --- helpers --------------------------------------------------------------------------


def layers(spec: dict[str, Any], data: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The single views of a spec, nested layers flattened, each with the data it draws."""
    data = spec.get("data", data)
    if "layer" in spec:
        return [view for layer in spec["layer"] for view in layers(layer, data)]
    return [{**spec, "data": data} if data is not None else spec]


def mark(view: dict[str, Any]) -> str:
    m = view.get("mark")
    return m["type"] if isinstance(m, dict) else m


def values(view: dict[str, Any], spec: dict[str, Any]) -> list[dict[str, Any]]:
    data = view.get("data") or spec.get("data") or {}
    if "values" in data:
        return data["values"]
    return spec.get("datasets", {}).get(data.get("name"), [])


def tooltip_fields(view: dict[str, Any]) -> list[str]:
    return [t["field"] for t in view.get("encoding", {}).get("tooltip", [])]


def rules(spec: dict[str, Any]) -> list[tuple[float, str]]:
    """(value, label) of every rule layer."""
    found = []
    for view in layers(spec):
        if mark(view) == "rule":
            for row in values(view, spec):
                found.append((row["value"], row["label"]))
    return found


def main_view(spec: dict[str, Any]) -> dict[str, Any]:
    return next(v for v in layers(spec) if mark(v) in ("bar", "line"))


# --- size -----------------------------------------------------------------------------------


def test_every_chart_is_small_on_a_large_workspace(specs: dict[str, Any],
                                                   con: duckdb.DuckDBPyConnection) -> None:
    assert con.execute("SELECT count(*) FROM deals").fetchall()[0][0] == 200_000
    for name, spec in specs.items():
        size = len(json.dumps(spec))
        assert size < MAX_BYTES, f"{name}: {size} bytes"


# --- encodings, rules, tooltips -------------------------------------------------------------


def test_won_revenue_by_month(specs: dict[str, Any], results: dict[str, Any]) -> None:
    spec = specs["won_revenue_by_month"]
    enc = spec["encoding"]
    assert enc["x"]["field"] == "month" and enc["x"]["type"] == "temporal"
    assert enc["x"]["timeUnit"] == "utcyearmonth"
    assert enc["y"]["field"] == "won_revenue" and enc["y"]["type"] == "quantitative"
    assert tooltip_fields(spec) == ["month_label", "won_revenue_label", "deals_label"]
    rows = values(spec, spec)
    assert len(rows) == len(results["pipeline"].by_month)
    assert rows[0]["won_revenue_label"].startswith("€")


@pytest.mark.parametrize(("months", "domain"), [
    # One month (Oct 2026): 5 more around it -> Aug 2026 .. Feb 2027 (exclusive end).
    (["2026-10-01"], ((2026, 8), (2027, 2))),
    # Three months Jul..Sep: 3 more, one before -> Jun 2026 .. Dec 2026.
    (["2026-07-01", "2026-08-01", "2026-09-01"], ((2026, 6), (2026, 12))),
    # Across a year end: Dec 2025 and Jan 2026 -> Oct 2025 .. Apr 2026.
    (["2025-12-01", "2026-01-01"], ((2025, 10), (2026, 4))),
])
def test_a_short_period_draws_narrow_month_bars(months: list[str], domain) -> None:
    result = _pipeline_with_months(months)
    x = charts.won_revenue_by_month(result, "en").to_dict()["encoding"]["x"]
    shown = [(d["year"], d["month"]) for d in x["scale"]["domain"]]
    assert shown == list(domain)


def test_six_months_or_more_keep_the_data_domain() -> None:
    result = _pipeline_with_months([f"2026-{m:02d}-01" for m in range(1, 7)])
    x = charts.won_revenue_by_month(result, "en").to_dict()["encoding"]["x"]
    assert "scale" not in x


def _pipeline_with_months(months: list[str]) -> PipelineResult:
    return PipelineResult(
        filters=Filters(), closed=len(months), won=len(months), lost=0, win_rate=1.0,
        won_revenue=100.0 * len(months), avg_deal_value=100.0, avg_cycle_days=None,
        median_cycle_days=None, open_deals=0, open_pipeline_value=0.0,
        by_month=[PipelineMonth(month=date.fromisoformat(m), closed=1, won=1, lost=0,
                                win_rate=1.0, won_revenue=100.0) for m in months])


def test_win_rate_has_the_period_rule(specs: dict[str, Any], results: dict[str, Any]) -> None:
    spec = specs["win_rate_by_month"]
    assert rules(spec) == [(results["pipeline"].win_rate,
                            f"Period: {charts.format_percent(results['pipeline'].win_rate)}")]
    assert main_view(spec)["encoding"]["y"]["axis"]["format"] == ".0%"


def test_packages_rule_at_the_target(results: dict[str, Any]) -> None:
    for target in (3.0, 4.5):
        result = results["compensation"].model_copy(update={"target_multiple": target})
        spec = charts.ratio_by_rep(result, "en").to_dict()
        assert (target, f"Target {target:.1f}×") in rules(spec)
        assert (result.team_ratio, f"Team: {charts.format_multiple(result.team_ratio)}") in rules(
            spec)
    spec = charts.ratio_by_rep(results["compensation"], "en").to_dict()
    bars = main_view(spec)
    assert bars["encoding"]["x"]["field"] == "ratio"
    assert bars["encoding"]["y"]["field"] == "owner"
    assert tooltip_fields(bars) == ["owner", "ratio_label", "revenue_label", "package_label",
                                    "meets"]
    # click a bar -> the page's drill-down: a point selection on the rep
    params = [p for v in layers(spec) for p in v.get("params", [])] + spec.get("params", [])
    assert any(p["name"] == charts.REP_SELECTION and p["select"]["fields"] == ["owner"]
               for p in params)


def test_channel_chart_colours_selection_and_threshold(specs: dict[str, Any],
                                                       results: dict[str, Any]) -> None:
    spec = specs["channel_revenue"]
    bars = main_view(spec)
    scale = bars["encoding"]["color"]["scale"]
    for label, color in zip(scale["domain"], scale["range"], strict=True):
        channel = next(c for c in CHANNELS if charts.channel_label(c, "en") == label)
        assert charts.CHANNEL_COLORS[channel] == color
    params = [p for v in layers(spec) for p in v.get("params", [])] + spec.get("params", [])
    assert any(p["name"] == charts.CHANNEL_SELECTION and p["select"]["fields"] == ["channel"]
               for p in params)
    assert "decision" in tooltip_fields(bars)
    # the closed-deals view draws the min_closed threshold
    assert rules(specs["channel_closed"]) == [(5000, "Needed to rank: 5,000")]
    # CAC needs costs: present here
    assert values(main_view(specs["channel_cac"]), specs["channel_cac"])


def test_colours_are_the_same_across_pages_and_languages(specs: dict[str, Any],
                                                         specs_fr: dict[str, Any]) -> None:
    colors = charts.rep_colors(REPS)
    for name in ("open_pipeline_by_rep", "conversion_by_rep", "usage_by_rep", "ratio_by_rep"):
        scale = main_view(specs[name])["encoding"]["color"]["scale"]
        assert scale["range"] == [colors[r] for r in scale["domain"]], name
    en = main_view(specs["channel_revenue"])["encoding"]["color"]["scale"]["range"]
    fr = main_view(specs_fr["channel_revenue"])["encoding"]["color"]["scale"]["range"]
    assert en == fr
    # a rep keeps their colour when others are filtered out
    assert charts.rep_colors(REPS)["Rep 05"] == charts.rep_colors(REPS)["Rep 05"]
    assert len(set(CHANNELS)) == len(set(charts.CHANNEL_COLORS.values()))


def test_no_text_colour_is_hard_coded_black_or_white(specs: dict[str, Any]) -> None:
    text = json.dumps(specs).lower()
    for colour in ('"#000"', '"#000000"', '"black"', '"#fff"', '"#ffffff"', '"white"'):
        assert colour not in text


def test_french_tooltips_axes_and_locale(specs_fr: dict[str, Any]) -> None:
    spec = specs_fr["won_revenue_by_month"]
    row = values(spec, spec)[0]
    assert row["won_revenue_label"].endswith("\u00a0€")
    assert row["month_label"].split()[0] in charts.MONTHS["fr"]
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "\u202f"
    assert locale["number"]["currency"] == ["", "\u00a0€"]
    assert locale["time"]["shortMonths"][2] == "mars"
    titles = [t["title"] for t in spec["encoding"]["tooltip"]]
    assert titles == ["Mois", "CA gagné", "Affaires"]


def test_html_in_a_rep_name_stays_data(specs: dict[str, Any]) -> None:
    """The name travels as a data value; nothing switches Vega's tooltip escaping off."""
    spec = specs["ratio_by_rep"]
    owners = {row["owner"] for row in values(main_view(spec), spec)}
    assert "<img src=x onerror=alert(1)>Zoé" in owners
    text = json.dumps(specs)
    assert "usermeta" not in text and "sanitize" not in text


def test_funnel_and_social_value(specs: dict[str, Any], results: dict[str, Any]) -> None:
    spec = specs["social_funnel"]
    rows = values(spec, spec)
    assert [r["stage"] for r in rows] == ["leads", "deals", "customers"]
    assert rows[0]["text"].endswith("(100%)")
    value = specs["deal_value_by_channel"]
    other = results["social"].avg_deal_value_other
    assert rules(value) == [(other, f"Other channels: {charts.format_money(other)}")]


def test_proposals_and_content(specs: dict[str, Any], results: dict[str, Any]) -> None:
    spec = specs["proposals_by_month"]
    assert spec["encoding"]["y"]["stack"] == "zero"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Won", "Lost", "Pending"]
    forecast = specs["forecast_by_month"]
    assert forecast["encoding"]["y"]["stack"] is None  # the forecast drawn inside the pending
    assert forecast["encoding"]["color"]["scale"]["domain"] == ["Pending value",
                                                                "Forecast revenue"]
    assert tooltip_fields(forecast) == ["month_label", "count_label", "pending_label",
                                        "forecast_label"]
    mix = specs["content_mix_by_rep"]
    assert mix["encoding"]["color"]["scale"]["domain"] == ["Decks shared", "Articles shared",
                                                           "Own posts"]
    lines = specs["engagement_over_time"]
    assert lines["encoding"]["color"]["field"] == "owner"
    rows = values(lines, lines)
    expected = charts.engagement_reps(results["content"])[:charts.ENGAGEMENT_MAX_REPS]
    assert {r["owner"] for r in rows} == set(expected) and len(expected) == 12
    assert set(rows[0]) == {"owner", "month", "views", "likes"}  # numbers, no label strings
    assert tooltip_fields(lines) == ["owner", "month", "views", "likes"]


def test_engagement_tooltip_is_formatted_by_the_locale(specs_fr: dict[str, Any]) -> None:
    """Month names and thousands separators come from vega_locale, as kpi.i18n writes them."""
    spec = specs_fr["engagement_over_time"]
    tips = {tip["field"]: tip for tip in spec["encoding"]["tooltip"]}
    assert tips["month"]["format"] == "%b %Y" and tips["month"]["timeUnit"] == "utcyearmonth"
    assert tips["views"]["format"] == tips["likes"]["format"] == ",d"
    assert [tip["title"] for tip in spec["encoding"]["tooltip"]][2:] == ["Vues", "J'aime"]
    locale = spec["config"]["locale"]
    assert locale["time"]["shortMonths"] == list(charts.MONTHS["fr"])
    assert locale["number"]["thousands"] == charts.NARROW_NBSP


def test_selected_values_reads_a_streamlit_event() -> None:
    event = {"selection": {charts.CHANNEL_SELECTION: [{"channel": "linkedin"},
                                                      {"channel": "event"}]}}
    assert charts.selected_values(event, charts.CHANNEL_SELECTION, "channel") == [
        "linkedin", "event"]
    assert charts.selected_values({"selection": {}}, charts.CHANNEL_SELECTION, "channel") == []
    assert charts.selected_values(None, charts.CHANNEL_SELECTION, "channel") == []


def test_empty_results_still_build() -> None:
    con = duckdb.connect(":memory:")
    _create(con)
    f = Filters()
    assert charts.won_revenue_by_month(compute_pipeline(con, f), "en").to_dict()
    assert charts.ratio_by_rep(compute_compensation(con, f), "fr").to_dict()
    assert charts.channel_measure(compute_channels(con, f), "revenue", "en").to_dict()
    con.close()
