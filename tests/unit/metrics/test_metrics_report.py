"""The §6 report structure, and the rules every module must follow."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from kpi.metrics import compute_report
from kpi.metrics.report import CORE_KEYS, report_sections
from kpi.schema import TABLES, Filters

D = date.fromisoformat
METRICS_DIR = Path(__file__).resolve().parents[3] / "kpi" / "metrics"


def small_workspace(workspace):
    return workspace(
        deals=[
            {"deal_id": "1", "owner": "Ann", "channel": "linkedin", "status": "won",
             "amount": 900.0, "created_at": "2024-03-01", "closed_at": "2024-03-31"},
            {"deal_id": "2", "owner": "Bob", "channel": "cold_email", "status": "lost",
             "amount": 100.0, "created_at": "2024-02-01", "closed_at": "2024-03-10"},
        ],
        compensation=[{"owner": "Ann", "month": "2024-03-01", "package": 300.0}],
        channel_costs=[{"channel": "linkedin", "month": "2024-03-01", "spend": 62.0}],
    )  # fmt: skip


def test_report_structure_and_values(workspace) -> None:
    report = compute_report(small_workspace(workspace), Filters(min_closed=1))
    assert list(report)[:len(CORE_KEYS)] == [
        "filters", "tables", "pipeline", "social_selling", "proposals", "content",
        "channels", "channel_focus", "compensation",
    ]  # fmt: skip
    # Families added since come after, each under the key it registered.
    assert list(report) == [*CORE_KEYS, *(section.key for section in report_sections())]
    # default period: Feb 1 (deal 2 created) .. Mar 31; dates as ISO strings
    assert report["filters"]["date_from"] == "2024-02-01"
    assert report["filters"]["date_to"] == "2024-03-31"
    # Every declared table is counted (0 when not uploaded).
    assert report["tables"] == {
        **{spec.name: 0 for spec in TABLES.values()},
        "deals": 2, "compensation": 1, "channel_costs": 1,
    }  # fmt: skip
    assert report["pipeline"]["win_rate"] == 1 / 2
    assert report["pipeline"]["won_revenue"] == 900
    assert set(report["pipeline"]) == {
        "closed", "won", "lost", "win_rate", "won_revenue", "avg_deal_value",
        "avg_cycle_days", "median_cycle_days", "open_deals", "open_pipeline_value",
    }  # fmt: skip
    assert set(report["social_selling"]) == {
        "leads", "customers", "lead_to_customer_rate", "deals_created",
        "avg_deal_value", "avg_deal_value_other",
    }  # fmt: skip
    assert set(report["proposals"]) == {
        "sent", "won", "lost", "pending", "conversion_rate", "forecast_revenue",
        "stale_days", "stale", "stale_value", "overdue", "overdue_value"}  # fmt: skip
    assert report["proposals"]["conversion_rate"] is None  # nothing sent: null, not 0
    assert set(report["content"]) == {
        "deals_worked", "deals_with_content", "usage_rate", "decks_shared",
        "articles_shared", "own_posts", "views", "likes",
    }  # fmt: skip
    linkedin = report["channels"][0]
    assert list(linkedin) == [
        "channel", "leads", "deals_created", "closed", "won", "win_rate", "revenue",
        "avg_deal_value", "revenue_per_closed", "spend", "cac",
    ]  # fmt: skip
    # spend 62 over March, prorated to the period Feb 1 - Mar 31 = all of March
    assert (linkedin["channel"], linkedin["spend"], linkedin["cac"]) == ("linkedin", 62, 62 / 1)
    # both channels have 1 closed deal; linkedin 900 per closed deal, cold_email 0
    assert report["channel_focus"] == {
        "keep": ["linkedin", "cold_email"], "reduce": [], "insufficient_data": [],
        "catch_all": []}  # fmt: skip
    assert report["compensation"] == {
        "team_ratio": 900 / 300,
        "reps": [{"owner": "Ann", "package": 300, "revenue": 900, "ratio": 3.0,
                  "meets_target": True}],
        "reps_without_package": ["Bob"],
    }  # fmt: skip
    # JSON-ready: no NaN/inf, no dates or models left
    assert json.loads(json.dumps(report, allow_nan=False)) == report


def test_report_respects_the_given_filters(workspace) -> None:
    report = compute_report(
        small_workspace(workspace),
        Filters(date_from=D("2024-03-15"), date_to=D("2024-03-31"), reps=["Ann"]),
        ranking_metric="win_rate",
    )
    assert report["filters"]["reps"] == ["Ann"]
    assert report["pipeline"]["closed"] == 1
    # spend of March prorated to Mar 15-31 = 17 of 31 days
    assert report["channels"][0]["spend"] == 62 * 17 / 31
    assert report["channel_focus"]["insufficient_data"] == ["linkedin"]  # 1 < 10 closed


def test_empty_workspace_report_is_all_zero_or_null(workspace) -> None:
    report = compute_report(workspace(), Filters())
    assert report["filters"]["date_from"] is None
    assert set(report["tables"].values()) == {0}
    assert report["pipeline"]["win_rate"] is None and report["pipeline"]["closed"] == 0
    assert report["channels"] == []
    assert report["compensation"] == {"team_ratio": None, "reps": [], "reps_without_package": []}


def test_no_streamlit_in_the_kpi_engine() -> None:
    sources = list(METRICS_DIR.glob("*.py"))
    assert len(sources) >= 8
    for source in sources:
        assert "streamlit" not in source.read_text(encoding="utf-8"), source.name


def test_family_functions_do_not_shadow_their_modules() -> None:
    # `import kpi.metrics.channels as m` must give the module, not a function
    # that `kpi/metrics/__init__.py` re-exports under the same name.
    import importlib
    import types

    import kpi.metrics as package

    for name in ("pipeline", "social", "proposals", "content", "channels", "compensation"):
        importlib.import_module(f"kpi.metrics.{name}")
        assert isinstance(getattr(package, name), types.ModuleType), name


def test_a_later_family_is_documented_where_its_key_says(workspace) -> None:
    """docs/report-command.md: a registered section's key is its anchor in docs/kpis/ (`_`
    for `-`) and each of its figures is a term in bold in that section."""
    from kpi.definitions import document, sections

    documented = {anchor: body for _, anchor, body in sections(document("en"))[1]}
    report = compute_report(workspace(), Filters())
    for section in report_sections():
        body = documented[section.key.replace("_", "-")].lower()
        for figure in report[section.key]:
            assert f"**{figure.replace('_', ' ')}**" in body, (section.key, figure)
