"""A drill-down selection given by a link is drawn: the chart's selection starts with it."""

from __future__ import annotations

from typing import Any

from kpi import charts
from kpi.metrics import compute_channels
from kpi.schema import Filters
from kpi.workspace import Workspace
from tests.unit.test_charts import _compensation

DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at
D1,Ann,referral,won,1000,2025-01-02,2025-02-01
D2,Ann,linkedin,lost,500,2025-01-03,2025-02-02
D3,Bob,cold_call,won,2000,2025-01-04,2025-02-03
"""


def _selection(spec: dict[str, Any], name: str) -> dict[str, Any]:
    layers = spec.get("layer", [spec])
    params = [p for view in layers for p in view.get("params", [])] + spec.get("params", [])
    (found,) = [p for p in params if p["name"] == name]
    return found


def test_the_channel_chart_starts_with_the_links_channels() -> None:
    ws = Workspace()
    try:
        assert ws.add_file(DEALS.encode(), "deals.csv").rows_rejected == 0
        result = compute_channels(ws.con, Filters(), "revenue")
        picked = charts.channel_measure(result, "revenue", "en",
                                        selected=["referral", "cold_call"]).to_dict()
        assert _selection(picked, charts.CHANNEL_SELECTION)["value"] == [
            {"channel": "referral"}, {"channel": "cold_call"}]
        none = charts.channel_measure(result, "revenue", "en").to_dict()
        assert "value" not in _selection(none, charts.CHANNEL_SELECTION)  # nothing faded
    finally:
        ws.close()


def test_the_packages_chart_starts_with_the_links_rep() -> None:
    result = _compensation(3.0, {"Ann": 3.2, "Bob": 2.0})
    picked = charts.ratio_by_rep(result, "fr", selected=["Bob"]).to_dict()
    assert _selection(picked, charts.REP_SELECTION)["value"] == [{"owner": "Bob"}]
    assert "value" not in _selection(charts.ratio_by_rep(result, "fr").to_dict(),
                                     charts.REP_SELECTION)
