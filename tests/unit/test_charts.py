"""Chart specs built from real metric results: encodings, rules, tooltips, colours, size."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from types import SimpleNamespace
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
from kpi.metrics.compensation import CompensationResult, RepPackage
from kpi.metrics.content import ContentRep, ContentResult
from kpi.metrics.pipeline import PipelineMonth, PipelineRep, PipelineResult
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
    return results_of(con)


def results_of(con: Any) -> dict[str, Any]:
    """Every family's result on `con`, as the charts get them."""
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
    return {name: chart.to_dict() for name, chart in every_figure(results, lang).items()}


def every_figure(results: dict[str, Any], lang: str) -> dict[str, Any]:
    """Every chart of kpi.charts built from `results`, by name (Altair objects)."""
    r = results
    built = {
        "won_revenue_by_month": charts.won_revenue_by_month(r["pipeline"], lang),
        "win_rate_by_month": charts.win_rate_by_month(r["pipeline"], lang),
        "open_pipeline_by_rep": charts.open_pipeline_by_rep(r["pipeline"], lang),
        "social_funnel": charts.social_funnel(r["social"], lang),
        "deal_value_by_channel": charts.deal_value_by_channel(r["social"], lang),
        "social_by_month": charts.social_by_month(r["social"], lang),
        "proposals_by_month": charts.proposals_by_month(r["proposals"], lang),
        "conversion_by_rep": charts.conversion_by_rep(r["proposals"], lang),
        "forecast_by_month": charts.forecast_by_month(r["proposals"], lang),
        "usage_by_rep": charts.usage_by_rep(r["content"], lang),
        "content_mix_by_rep": charts.content_mix_by_rep(r["content"], lang),
        "engagement_views": charts.engagement_by_rep(r["content"], lang, "views"),
        "engagement_likes": charts.engagement_by_rep(r["content"], lang, "likes"),
        "ratio_by_rep": charts.ratio_by_rep(r["compensation"], lang),
    }
    for measure in charts.CHANNEL_MEASURES:
        built[f"channel_{measure}"] = charts.channel_measure(r["channels"], measure, lang)
    return built


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
    enc = main_view(spec)["encoding"]
    # months are bands (a bar over its label), every month of the span listed in order
    assert enc["x"]["field"] == "month" and enc["x"]["type"] == "ordinal"
    assert "timeUnit" not in enc["x"]
    months = [m.month.isoformat() for m in results["pipeline"].by_month]
    assert enc["x"]["scale"]["domain"] == months  # three full years: no gap, no padding
    assert enc["x"]["axis"]["labelExpr"] == "utcFormat(toDate(datum.value), '%b %Y')"
    assert enc["y"]["field"] == "won_revenue" and enc["y"]["type"] == "quantitative"
    assert main_view(spec)["mark"]["color"] == charts.BAR_COLOR
    assert tooltip_fields(main_view(spec)) == ["month_label", "won_revenue_label", "deals_label"]
    rows = values(main_view(spec), spec)
    assert len(rows) == len(results["pipeline"].by_month)
    assert rows[0]["won_revenue_label"].startswith("€")
    # 36 bars: too many to print their values
    assert [mark(v) for v in layers(spec)] == ["bar"] and "padding" not in spec


@pytest.mark.parametrize(("months", "domain"), [
    # One month (Oct 2026): 5 more around it -> Aug 2026 .. Jan 2027.
    (["2026-10-01"], ("2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01")),
    # Three months Jul..Sep: 3 more, one before -> Jun .. Nov 2026.
    (["2026-07-01", "2026-08-01", "2026-09-01"],
     ("2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11")),
    # Across a year end: Dec 2025 and Jan 2026 -> Oct 2025 .. Mar 2026.
    (["2025-12-01", "2026-01-01"], ("2025-10", "2025-11", "2025-12", "2026-01", "2026-02",
                                    "2026-03")),
    # A gap (no deal closed in Feb and Mar) stays on the axis, in its place.
    (["2026-01-01", "2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01"],
     ("2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08")),
])
def test_month_bands_span_the_period_and_at_least_six_months(months: list[str],
                                                             domain: tuple[str, ...]) -> None:
    result = _pipeline_with_months(months)
    x = main_view(charts.won_revenue_by_month(result, "en").to_dict())["encoding"]["x"]
    assert x["scale"]["domain"] == [f"{m}-01" for m in domain]
    assert x["axis"]["values"][-1] == x["scale"]["domain"][-1]  # the latest month is labelled


@pytest.mark.parametrize(("count", "labelled"), [
    (6, [0, 1, 2, 3, 4, 5]),
    (7, [0, 2, 4, 6]),  # every 2nd month, counted back from the last
    (22, [1, 5, 9, 13, 17, 21]),  # every 4th
])
def test_month_labels_are_counted_back_from_the_latest(count: int, labelled: list[int]) -> None:
    months = [date(2024 + i // 12, i % 12 + 1, 1).isoformat() for i in range(count)]
    x = main_view(charts.won_revenue_by_month(_pipeline_with_months(months), "en").to_dict()
                  )["encoding"]["x"]
    assert x["axis"]["values"] == [months[i] for i in labelled]


def test_few_month_bars_print_their_value_in_short_money() -> None:
    spec = charts.won_revenue_by_month(_pipeline_with_months(["2026-09-01", "2026-10-01"]),
                                       "fr").to_dict()
    text = next(v for v in layers(spec) if mark(v) == "text")
    assert text["encoding"]["text"]["field"] == "short"
    [calculate] = text["transform"]
    assert evaluate(calculate["calculate"], {"won_revenue": 400_000.0}) == "400\u00a0k€"
    assert spec["padding"]["top"] > 5  # room above the tallest bar for its label


def _pipeline_with_months(months: list[str], closed: int = 1) -> PipelineResult:
    return PipelineResult(
        filters=Filters(), closed=closed * len(months), won=len(months), lost=0, win_rate=1.0,
        won_revenue=100.0 * len(months), avg_deal_value=100.0, avg_cycle_days=None,
        median_cycle_days=None, open_deals=0, open_pipeline_value=0.0,
        by_month=[PipelineMonth(month=date.fromisoformat(m), closed=closed, won=1,
                                lost=closed - 1, win_rate=1 / closed, won_revenue=100.0)
                  for m in months])


# --- short money: one Vega expression for axis ticks and bar labels --------------------------


def _d3_format(value: float, spec: str) -> str:
    """d3-format for the two specs the charts use ('~' drops insignificant zeros)."""
    if spec == ".3~r":
        return f"{value:.3g}"
    assert spec == ".1~f", spec
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _top_level(expr: str, char: str, start: int = 0) -> int:
    """Index of the first `char` outside parentheses and quotes, from `start` (-1 if none)."""
    depth, quote = 0, ""
    for i in range(start, len(expr)):
        c = expr[i]
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == char and depth == 0:
            return i
    return -1


def _python(expr: str) -> str:
    """A Vega expression made of `a ? b : c` chains, string '+' and calls, as Python."""
    ask = _top_level(expr, "?")
    if ask < 0:
        return expr
    colon = _top_level(expr, ":", ask)
    return (f"(({_python(expr[ask + 1:colon])}) if ({expr[:ask]}) "
            f"else ({_python(expr[colon + 1:])}))")


def evaluate(expr: str, datum: dict[str, Any]) -> str:
    """Evaluate a chart's Vega label expression in Python (abs, format, replace, datum)."""
    names = {"abs": abs, "format": _d3_format,
             "replace": lambda text, old, new: text.replace(old, new, 1),
             "datum": SimpleNamespace(**datum)}
    return eval(_python(expr), names)  # noqa: S307 - our own expression, in a test


@pytest.mark.parametrize(("lang", "currency", "value", "expected"), [
    ("en", "EUR", 400_000, "€400k"),
    ("en", "EUR", 1_250_000, "€1.25M"),
    ("en", "EUR", 2_500_000_000, "€2.5B"),
    ("en", "EUR", 950, "€950"),
    ("en", "EUR", 0, "€0"),
    ("en", "USD", 12_345, "$12.3k"),
    ("en", "CHF", 400_000, "CHF\u00a0400k"),  # CLDR: a space after letters
    ("en", "CAD", 400_000, "CA$400k"),
    ("fr", "CAD", 400_000, "400\u00a0k$CA"),
    ("fr", "EUR", 400_000, "400\u00a0k€"),
    ("fr", "EUR", 1_250_000, "1,25\u00a0M€"),
    ("fr", "EUR", 2_500_000_000, "2,5\u00a0Md€"),
    ("fr", "EUR", 950, "950\u00a0€"),
    ("fr", "USD", 40_000, "40\u00a0k$US"),
])
def test_money_axis_ticks_read_like_the_language(lang: str, currency: str, value: float,
                                                 expected: str) -> None:
    axis = charts._money_axis(lang, currency).to_dict()
    assert evaluate(axis["labelExpr"], {"value": value}) == expected


def test_win_rate_has_the_period_rule(specs: dict[str, Any], results: dict[str, Any]) -> None:
    spec = specs["win_rate_by_month"]
    assert rules(spec) == [(results["pipeline"].win_rate,
                            f"Period: {charts.format_percent(results['pipeline'].win_rate)}")]
    assert main_view(spec)["encoding"]["y"]["axis"]["format"] == ".0%"
    # the label sits right of the plot area, where no point can cover it
    label = next(v for v in layers(spec) if mark(v) == "text")
    assert label["encoding"]["x"] == {"value": "width"}
    assert label["mark"]["align"] == "left" and label["mark"]["dx"] > 0


def test_win_rate_points_show_their_volume_and_mark_thin_months() -> None:
    spec = charts.win_rate_by_month(_pipeline_with_months(["2026-09-01"], closed=3),
                                    "en").to_dict()
    points = next(v for v in layers(spec) if mark(v) == "point")
    assert points["encoding"]["size"]["field"] == "closed"
    fill = points["encoding"]["fill"]
    assert fill["condition"] == {"test": "datum.closed >= 5", "value": charts.BAR_COLOR}
    assert fill["value"] == "transparent"  # hollow below 5 closed deals
    assert "deals_label" in tooltip_fields(points)  # "1 won of 3 closed"
    assert values(points, spec)[0]["deals_label"] == "1 won of 3 closed"


@pytest.mark.parametrize(("closed", "low"), [(3, True), (4, True), (5, False), (12, False)])
def test_low_volume_months(closed: int, low: bool) -> None:
    result = _pipeline_with_months(["2026-08-01", "2026-09-01"], closed=closed)
    assert charts.has_low_volume_months(result) is low
    # a month without a closed deal has no rate, so no point to mark
    empty = result.model_copy(update={"by_month": [PipelineMonth(
        month=date(2026, 10, 1), closed=0, won=0, lost=0, win_rate=None, won_revenue=0.0)]})
    assert charts.has_low_volume_months(empty) is False


def _compensation(target: float, ratios: dict[str, float]) -> CompensationResult:
    return CompensationResult(
        filters=Filters(), target_multiple=target, team_ratio=3.0, total_package=100.0 * len(
            ratios), total_revenue=sum(100.0 * r for r in ratios.values()),
        reps=[RepPackage(owner=o, package=100.0, revenue=100.0 * r, ratio=r,
                         meets_target=r >= target) for o, r in ratios.items()])


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
                                    "target"]
    # click a bar -> the page's drill-down: a point selection on the rep
    params = [p for v in layers(spec) for p in v.get("params", [])] + spec.get("params", [])
    assert any(p["name"] == charts.REP_SELECTION and p["select"]["fields"] == ["owner"]
               for p in params)


@pytest.mark.parametrize(("lang", "met", "below", "tick"), [
    ("en", "On target", "Below target", "2.5"),
    ("fr", "À la cible", "Sous la cible", "2,5"),
])
def test_packages_bars_are_coloured_by_target_met(lang: str, met: str, below: str,
                                                  tick: str) -> None:
    # target 3.0: Ann 3.2 and Bob 3.0 meet it, Cy 2.9 does not
    spec = charts.ratio_by_rep(_compensation(3.0, {"Cy": 2.9, "Ann": 3.2, "Bob": 3.0}),
                               lang).to_dict()
    bars = main_view(spec)
    color = bars["encoding"]["color"]
    assert color["field"] == "target" and "legend" not in color  # a legend says what it means
    assert color["scale"] == {"domain": [met, below], "range": [
        charts.TARGET_MET_COLORS[True], charts.TARGET_MET_COLORS[False]]}
    assert {r["owner"]: r["target"] for r in values(bars, spec)} == {
        "Ann": met, "Bob": met, "Cy": below}
    assert bars["encoding"]["y"]["sort"] == ["Ann", "Bob", "Cy"]
    # 3 bars: each prints its ratio, with room for it at the right
    text = [v["encoding"]["text"]["field"] for v in layers(spec) if mark(v) == "text"]
    assert text == ["label", "label", "ratio_label"]  # target, team, then the bars' values
    assert spec["padding"]["right"] == charts.LABEL_ROOM
    # the ratio axis in the language's decimal mark
    assert evaluate(bars["encoding"]["x"]["axis"]["labelExpr"], {"value": 2.5}) == f"{tick}×"


@pytest.mark.parametrize(("team", "target_align", "team_align"), [
    (3.2, "right", "left"),  # team above the target: the labels run apart, out from between
    (2.8, "left", "right"),
])
def test_target_and_team_labels_never_run_over_each_other(team: float, target_align: str,
                                                          team_align: str) -> None:
    result = _compensation(3.0, {"Ann": 3.2}).model_copy(update={"team_ratio": team})
    spec = charts.ratio_by_rep(result, "en").to_dict()
    aligns = {values(v, spec)[0]["value"]: v["mark"]["align"] for v in layers(spec)
              if mark(v) == "text" and v["encoding"]["text"]["field"] == "label"}
    assert aligns == {3.0: target_align, team: team_align}


def test_reps_are_one_colour_not_one_colour_each(specs: dict[str, Any]) -> None:
    for name in ("open_pipeline_by_rep", "conversion_by_rep", "usage_by_rep",
                 "engagement_views"):
        bars = main_view(specs[name])
        assert bars["encoding"]["y"]["field"] == "owner", name
        assert "color" not in bars["encoding"], name
        assert bars["mark"]["color"] == charts.BAR_COLOR, name


def test_no_colour_has_two_meanings() -> None:
    meanings = {
        "value": {charts.BAR_COLOR},
        "status": set(charts.STATUS_COLORS.values()),
        "target met": set(charts.TARGET_MET_COLORS.values()),
        "content kind": set(charts.CONTENT_COLORS.values()),
        "target rule": {charts.TARGET_COLOR},
        "channel decision": set(charts.DECISION_COLORS.values()),
        "reference": {charts.AVERAGE_COLOR},
    }
    seen: dict[str, str] = {}
    for meaning, colours in meanings.items():
        for colour in colours:
            assert colour.lower() not in seen, (colour, meaning, seen.get(colour.lower()))
            seen[colour.lower()] = meaning
    assert len(set(CHANNELS)) == len(set(charts.CHANNEL_COLORS.values()))


def test_value_labels_only_on_few_bars(results: dict[str, Any]) -> None:
    many = charts.open_pipeline_by_rep(results["pipeline"], "en").to_dict()
    assert len({r["owner"] for r in values(main_view(many), many)}) > charts.VALUE_LABEL_MAX_BARS
    assert [mark(v) for v in layers(many)] == ["bar"]
    few = results["pipeline"].model_copy(update={"by_rep": [
        PipelineRep(owner="Ann", open_deals=2, open_pipeline_value=400_000.0),
        PipelineRep(owner="Bob", open_deals=1, open_pipeline_value=1_250.5)]})
    spec = charts.open_pipeline_by_rep(few, "fr").to_dict()
    text = next(v for v in layers(spec) if mark(v) == "text")
    assert text["encoding"]["text"]["field"] == "value_label"
    assert [r["value_label"] for r in values(text, spec)] == ["400\u202f000\u00a0€",
                                                             "1\u202f250\u00a0€"]
    axis = main_view(spec)["encoding"]["x"]["axis"]
    assert evaluate(axis["labelExpr"], {"value": 400_000}) == "400\u00a0k€"


def test_channel_chart_colours_selection_and_threshold(specs: dict[str, Any],
                                                       results: dict[str, Any]) -> None:
    spec = specs["channel_revenue"]
    bars = main_view(spec)
    scale = bars["encoding"]["color"]["scale"]
    # min_closed 5000: only the largest channels are ranked; unknown / other apart
    names = {t: d for d in charts.DECISION_COLORS for t in [charts.t(f"focus.{d}", "en")]}
    assert [charts.DECISION_COLORS[names[label]] for label in scale["domain"]] == scale["range"]
    assert "Source to map" in scale["domain"]
    params = [p for v in layers(spec) for p in v.get("params", [])] + spec.get("params", [])
    assert any(p["name"] == charts.CHANNEL_SELECTION and p["select"]["fields"] == ["channel"]
               for p in params)
    assert "decision" in tooltip_fields(bars)
    # the closed-deals view draws the min_closed threshold
    assert rules(specs["channel_closed"]) == [(5000, "Needed to rank: 5,000")]
    # CAC needs costs: present here
    assert values(main_view(specs["channel_cac"]), specs["channel_cac"])


def test_channel_colours_are_the_same_in_both_languages(specs: dict[str, Any],
                                                       specs_fr: dict[str, Any]) -> None:
    en = main_view(specs["channel_revenue"])["encoding"]["color"]["scale"]["range"]
    fr = main_view(specs_fr["channel_revenue"])["encoding"]["color"]["scale"]["range"]
    assert en == fr


def test_no_text_colour_is_hard_coded_black_or_white(specs: dict[str, Any]) -> None:
    text = json.dumps(specs).lower()
    for colour in ('"#000"', '"#000000"', '"black"', '"#fff"', '"#ffffff"', '"white"'):
        assert colour not in text


def test_french_tooltips_axes_and_locale(specs_fr: dict[str, Any]) -> None:
    spec = specs_fr["won_revenue_by_month"]
    row = values(main_view(spec), spec)[0]
    assert row["won_revenue_label"].endswith("\u00a0€")
    assert row["month_label"].split()[0] in ("janv.", "févr.", "mars", "avr.", "mai", "juin",
                                              "juil.", "août", "sept.", "oct.", "nov.", "déc.")
    locale = spec["config"]["locale"]
    assert locale["number"]["decimal"] == "," and locale["number"]["thousands"] == "\u202f"
    assert locale["number"]["currency"] == ["", "\u00a0€"]
    assert locale["time"]["shortMonths"][2] == "mars"
    titles = [t["title"] for t in main_view(spec)["encoding"]["tooltip"]]
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
    assert tooltip_fields(forecast) == ["slot", "count_label", "pending_label",
                                        "forecast_label"]
    mix = main_view(specs["content_mix_by_rep"])
    scale = mix["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Decks shared", "Articles shared", "Own posts"]
    assert scale["range"] == [charts.CONTENT_COLORS[k] for k in charts.CONTENT_KINDS]
    assert charts.BAR_COLOR not in scale["range"]  # not the colour of the rep bars beside it


def test_content_mix_prints_each_reps_total_when_few() -> None:
    reps = [ContentRep(owner="Ann", decks_shared=3, articles_shared=2, own_posts=1),
            ContentRep(owner="Bob", decks_shared=1)]
    spec = charts.content_mix_by_rep(_content(reps), "en").to_dict()
    text = next(v for v in layers(spec) if mark(v) == "text")
    assert text["transform"] == [{"aggregate": [{"op": "sum", "field": "count", "as": "total"}],
                                  "groupby": ["owner"]}]
    assert text["encoding"]["x"]["field"] == "total"
    # stacked rows: Ann 3 + 2 + 1 = 6, Bob 1 (the text layer sums them)
    rows = values(text, spec)
    assert sum(r["count"] for r in rows if r["owner"] == "Ann") == 6


def _content(reps: list[ContentRep]) -> ContentResult:
    return ContentResult(
        filters=Filters(), has_deal_links=True, deals_worked=0, deals_with_content=0,
        usage_rate=None, decks_shared=sum(r.decks_shared for r in reps),
        articles_shared=sum(r.articles_shared for r in reps),
        own_posts=sum(r.own_posts for r in reps), views=sum(r.views for r in reps),
        likes=sum(r.likes for r in reps), by_rep=reps)


@pytest.mark.parametrize(("measure", "order"), [("views", ["Bob", "Ann", "Cy"]),
                                                ("likes", ["Ann", "Cy", "Bob"])])
def test_engagement_is_a_ranked_bar_per_rep(measure: str, order: list[str]) -> None:
    reps = [ContentRep(owner="Ann", own_posts=1, views=200, likes=30),
            ContentRep(owner="Bob", decks_shared=1, views=900, likes=5),
            ContentRep(owner="Cy", articles_shared=2, views=100, likes=30),
            ContentRep(owner="Dee", views=0, likes=0)]  # shared nothing: not drawn
    spec = charts.engagement_by_rep(_content(reps), "fr", measure).to_dict()
    bars = main_view(spec)
    assert bars["encoding"]["y"]["sort"] == order  # ties (30 likes) by name
    assert bars["encoding"]["x"]["field"] == measure
    assert [t["title"] for t in bars["encoding"]["tooltip"]] == ["Commercial", "Vues", "J'aime"]
    text = next(v for v in layers(spec) if mark(v) == "text")
    assert text["encoding"]["text"]["field"] == f"{measure}_label"
    assert {r["owner"]: r["views_label"] for r in values(bars, spec)} == {
        "Ann": "200", "Bob": "900", "Cy": "100"}


def test_engagement_payload_does_not_grow_with_months(specs: dict[str, Any],
                                                      results: dict[str, Any]) -> None:
    spec = specs["engagement_views"]
    rows = values(main_view(spec), spec)
    assert len(rows) == len(charts.engagement_reps(results["content"])) == 30


def test_social_months_legend_is_as_faded_as_its_bars(specs_fr: dict[str, Any]) -> None:
    enc = main_view(specs_fr["social_by_month"])["encoding"]
    # the same field and domain for colour and opacity: Vega-Lite draws one legend with both
    assert enc["color"]["field"] == enc["opacity"]["field"] == "measure"
    assert enc["opacity"]["scale"] == {"domain": ["Pistes", "Clients"], "range": [0.45, 1.0]}
    assert enc["color"]["scale"]["domain"] == ["Pistes", "Clients"]


def test_social_value_chart_shows_the_chosen_network_against_grey_others(
        specs: dict[str, Any], results: dict[str, Any]) -> None:
    bars = main_view(specs["deal_value_by_channel"])
    color = bars["encoding"]["color"]
    chosen = charts.CHANNEL_COLORS[results["social"].channel]
    assert color == {"condition": {"test": "datum.selected", "value": chosen},
                     "value": charts.AVERAGE_COLOR}


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


# --- channel focus and forecast (hand-made workspaces through the importer) ----------------

FOCUS_CSV = b"""deal_id,owner,channel,status,amount,created_at,closed_at
L1,Ann,LinkedIn,won,1000,2024-03-01,2024-03-05
L2,Ann,LinkedIn,won,1000,2024-03-01,2024-03-06
R1,Ann,Referral,won,1200,2024-03-01,2024-03-07
R2,Ann,Referral,lost,100,2024-03-01,2024-03-08
E1,Bob,Event,won,800,2024-03-01,2024-03-09
E2,Bob,Event,lost,100,2024-03-01,2024-03-10
C1,Bob,Cold email,won,200,2024-03-01,2024-03-11
C2,Bob,Cold email,lost,100,2024-03-01,2024-03-12
F1,Bob,Facebook,won,5000,2024-03-01,2024-03-13
U1,Ann,,won,3000,2024-03-01,2024-03-14
U2,Ann,,won,3000,2024-03-01,2024-03-15
"""
# Revenue per closed deal, 2 closed deals needed: facebook 5000 (1 closed: not
# enough data), unknown 3000 (a catch-all), linkedin 1000, referral 600, event
# 400 (kept: the top 3 bring 4000 of 4200), cold_email 100 (rank 4: spend less).


def _workspace_con(csv: bytes) -> duckdb.DuckDBPyConnection:
    from kpi.workspace import Workspace

    workspace = Workspace(one_shot=True)
    workspace.add_file(csv, "x.csv")
    return workspace.con


@pytest.mark.parametrize(("lang", "legend"), [
    ("en", ["Keep", "Spend less", "Not enough data", "Source to map"]),
    ("fr", ["À garder", "À réduire", "Pas assez de données", "Source à rattacher"]),
])
def test_channel_bars_are_coloured_by_decision_in_the_table_order(lang: str,
                                                                  legend: list[str]) -> None:
    result = compute_channels(_workspace_con(FOCUS_CSV), Filters(min_closed=2))
    spec = charts.channel_measure(result, "revenue_per_closed", lang).to_dict()
    bars = main_view(spec)
    color = bars["encoding"]["color"]
    assert color["field"] == "decision"
    assert color["scale"]["domain"] == legend  # the legend, in the page's language
    assert color["scale"]["range"] == ["#2f9e44", "#e67700", "#a0a4a8", "#9775fa"]
    assert color["scale"]["range"] == [charts.DECISION_COLORS[d] for d in
                                       ("keep", "reduce", "insufficient_data", "catch_all")]
    assert color.get("legend", {}) is not None  # a legend is drawn
    order = ["facebook", "unknown", "linkedin", "referral", "event", "cold_email"]
    assert [r.channel for r in result.sorted_by("revenue_per_closed")] == order  # the table
    assert bars["encoding"]["y"]["sort"] == [charts.channel_label(c, lang) for c in order]
    decision = {row["channel"]: row["decision"] for row in values(bars, spec)}
    keep, reduce, few, catch_all = legend
    assert decision == {"facebook": few, "unknown": catch_all, "linkedin": keep,
                        "referral": keep, "event": keep, "cold_email": reduce}


def test_channel_bars_follow_the_chosen_measure() -> None:
    result = compute_channels(_workspace_con(FOCUS_CSV), Filters(min_closed=2))
    spec = charts.channel_measure(result, "revenue", "en").to_dict()
    # revenue: unknown 6000, facebook 5000, linkedin 2000, referral 1200, event 800, cold 200
    assert main_view(spec)["encoding"]["y"]["sort"] == [
        "Unknown", "Facebook", "LinkedIn", "Referral", "Events", "Cold email"]  # fmt: skip
    # only the decisions present are in the legend
    linkedin = compute_channels(_workspace_con(FOCUS_CSV),
                                   Filters(min_closed=2, channels=["linkedin"]))
    scale = main_view(charts.channel_measure(linkedin, "revenue", "en").to_dict())[
        "encoding"]["color"]["scale"]
    assert scale == {"domain": ["Keep"], "range": ["#2f9e44"]}


AGEING_CSV = b"""deal_id,owner,status,amount,created_at,proposal_sent_at,closed_at
D1,Ann,won,1,2024-01-01,2024-01-01,2024-01-11
D2,Ann,lost,1,2024-01-02,2024-01-02,2024-01-12
X1,Bob,open,1000,2024-06-20,2024-06-20,
X2,Bob,open,2000,2024-04-01,2024-04-01,
X3,Bob,open,4000,2024-06-10,2024-06-10,
X4,Bob,open,8000,2024-01-01,2024-01-01,
Z,Bob,open,0,2024-06-30,,
"""
# Decided in 10 days (both): expected = sent + 10, stale after 10 days, aged on Jun 30:
# X1 (10 days) expected Jun 30: June; X3 (20 days) is stale; X2, X4 too.


def test_forecast_chart_has_no_past_month_and_puts_stale_first_when_counted() -> None:
    con = _workspace_con(AGEING_CSV)
    shown = compute_proposals(con, Filters())
    assert [(b.bucket, b.month) for b in shown.forecast] == [("month", date(2024, 6, 1))]
    spec = charts.forecast_by_month(shown, "en").to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == ["Jun 2024"]
    with_stale = compute_proposals(con, Filters(), stale_days=30, include_stale=True)
    # 30 days: X3 (20 days) expected Jun 20 < Jun 30 is overdue; X2, X4 stale
    spec = charts.forecast_by_month(with_stale, "fr").to_dict()
    assert spec["encoding"]["x"]["scale"]["domain"] == ["Dormants", "En retard", "juin 2024"]
    stale = [r for r in values(spec, spec) if r["slot"] == "Dormants"]
    assert {r["value"] for r in stale} == {2000 + 8000, (2000 + 8000) * 0.5}


# --- measure_bars: any family's measure per category ------------------------------------


def _marks(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every layer of a (nested) layered spec, flattened."""
    found = []
    for layer in spec.get("layer", []):
        found += _marks(layer) if "layer" in layer else [layer]
    return found


def test_measure_bars_labels_bars_by_the_measure_format_and_keeps_row_order() -> None:
    rows = [{"owner": "Bob", "attainment": 1.125}, {"owner": "Ann", "attainment": 0.4}]
    spec = charts.measure_bars(rows, "owner", "attainment", "percent", "Attainment", "fr",
                               rules=[(1.0, "Objectif"), (0.7625, "Équipe")]).to_dict()
    bars = next(m for m in _marks(spec) if m["mark"]["type"] == "bar")
    assert {v["label"] for v in bars["data"]["values"]} == {"112,5\u202f%", "40,0\u202f%"}
    assert bars["encoding"]["y"]["sort"] == ["Bob", "Ann"]  # as given, best first
    texts = [m for m in _marks(spec) if m["mark"]["type"] == "text" and m["mark"].get("fontWeight")]
    # The higher line (100 %) labels to its right, the team's to its left: no overlap.
    assert [t["mark"]["align"] for t in texts] == ["left", "right"]


def test_measure_bars_stacks_pieces_coloured_by_their_field() -> None:
    rows = [{"band": "0–30", "stage": "Demo", "n": 2}, {"band": "0–30", "stage": "Won?", "n": 1},
            {"band": "31–60", "stage": "Demo", "n": 4}]
    spec = charts.measure_bars(rows, "band", "n", "count", "Deals", "en", stack="stage").to_dict()
    bars = next(m for m in _marks(spec) if m["mark"]["type"] == "bar")
    assert bars["encoding"]["x"]["field"] == "n" and bars["encoding"]["x"]["aggregate"] == "sum"
    assert bars["encoding"]["color"]["sort"] == ["Demo", "Won?"]
    assert bars["encoding"]["color"]["scale"]["scheme"] == charts.STACK_SCHEME
    assert bars["encoding"]["y"]["sort"] == ["0–30", "31–60"]
