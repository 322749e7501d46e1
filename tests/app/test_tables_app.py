"""Rows tables hold numbers, dates and words (not pre-formatted text), labelled in the language.

A table of pre-formatted strings sorts "705 216 €" before "1 738 203 €" and
left-aligns them; a numeric column sorts by value and is right-aligned. The
language's text is the Styler's display value (checked in the browser test).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from kpi.i18n import t
from kpi.workspace import Workspace
from tests.app.test_pages import FRENCH, app, no_exception, open_page

# Ana wins 1,738,203.40 on paid ads; Bob wins 705,216 and loses one at an event;
# a LinkedIn deal is still open (the social page's months).
DEALS = """deal_id,owner,channel,status,amount,created_at,closed_at
D1,Ana,website_paid,won,1738203.40,2026-01-05,2026-02-10
D2,Bob,event,won,705216,2026-01-06,2026-03-01
D3,Bob,event,lost,1000,2026-01-07,2026-03-15
D4,Ana,linkedin,open,5000,2026-02-03,
"""
# January to March: 3 months each; the period runs 1 Jan - 31 Mar (the months' span).
COMPENSATION = """owner,month,package
Ana,2026-01,10000
Ana,2026-02,10000
Ana,2026-03,10000
Bob,2026-01,20000
Bob,2026-02,20000
Bob,2026-03,20000
"""


@pytest.fixture
def workspace() -> Iterator[Workspace]:
    ws = Workspace()
    for name, text in {"deals.csv": DEALS, "compensation.csv": COMPENSATION}.items():
        assert ws.add_file(text.encode(), name).rows_rejected == 0
    yield ws
    ws.close()


def _table(at: AppTest, field: str):  # noqa: ANN202 - streamlit's Dataframe element
    (table,) = [d for d in at.main.dataframe if field in d.value.columns]
    return table


def _types(table) -> dict[str, tuple[str, str]]:  # noqa: ANN001
    """field -> (label, column type) from the table's column_config."""
    config = json.loads(table.proto.columns)
    return {field: (c["label"], c["type_config"]["type"]) for field, c in config.items()
            if "label" in c}


def _shown(table) -> list[dict[str, str]]:  # noqa: ANN001
    """The text each cell shows (the Styler's display values)."""
    return convert_arrow_bytes_to_pandas_df(
        table.proto.arrow_data.styler.display_values).to_dict("records")


def test_packages_table_holds_numbers_under_french_labels(workspace: Workspace) -> None:
    at = open_page(app(workspace, lang=FRENCH), "packages")
    no_exception(at)
    table = _table(at, "package")
    rows = {r["owner"]: r for r in table.value.to_dict("records")}
    # Ana: 1,738,203.40 won for 3 x 10,000; Bob: 705,216 for 3 x 20,000 (target 3x).
    assert rows["Ana"]["package"] == 30000
    assert rows["Ana"]["revenue"] == pytest.approx(1738203.40)
    assert rows["Ana"]["ratio"] == pytest.approx(1738203.40 / 30000)
    assert rows["Bob"]["revenue"] == 705216
    assert rows["Bob"]["ratio"] == pytest.approx(705216 / 60000)
    assert rows["Ana"]["meets_target"] == t("comp.meets_yes", "fr")
    for field in ("package", "revenue", "ratio"):
        assert table.value[field].dtype.kind == "f", field
    assert _types(table) == {
        "owner": (t("col.rep", "fr"), "text"),
        "package": (t("kpi.package", "fr"), "number"),
        "revenue": (t("kpi.won_revenue", "fr"), "number"),
        "ratio": (t("kpi.ratio", "fr"), "number"),
        "meets_target": (t("comp.meets_target", "fr"), "text"),
    }
    # ...and shows them the French way (narrow no-break spaces, decimal comma).
    ana = next(row for row in _shown(table) if row["owner"] == "Ana")
    assert ana["revenue"] == "1\u202f738\u202f203\u00a0€"
    assert ana["package"] == "30\u202f000\u00a0€"
    assert ana["ratio"] == "57,9×"  # 1,738,203.40 / 30,000 = 57.94


def test_channel_table_names_channels_and_keeps_money_numeric(workspace: Workspace) -> None:
    at = open_page(app(workspace), "social-selling")
    no_exception(at)
    table = _table(at, "won_revenue")
    rows = {r["channel"]: r for r in table.value.to_dict("records")}
    assert set(rows) >= {t("channel.website_paid", "en"), t("channel.event", "en")}
    assert "website_paid" not in rows
    assert rows[t("channel.event", "en")]["won_revenue"] == 705216
    assert rows[t("channel.website_paid", "en")]["avg_deal_value"] == pytest.approx(1738203.40)
    types = _types(table)
    assert types["won_revenue"] == (t("kpi.won_revenue", "en"), "number")
    assert types["channel"][1] == "text"
    months = _table(at, "month")
    assert _types(months)["month"] == (t("col.month", "en"), "date")  # sorted by date
    assert _types(months)["lead_to_customer_rate"][1] == "number"
