"""Issue 13, "Done when": the app in warehouse mode against a real PostgreSQL, in a browser.

A throwaway cluster (tests/unit/warehouse/pg_cluster.py) gets the demo files
through `python -m kpi load --to URL`; `streamlit run serve.py` runs in hosted
mode with KPI_SOURCE_URL set. A viewer logs in and sees the Overview the demo
gives from uploads: its cards are checked against figures computed here from
the demo CSV with the csv module. A manager's Data page shows what the source
holds. Skips when PostgreSQL's binaries are missing.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Expect, Page

from kpi.i18n import t
from tests.browser.helpers import ROOT, screenshot, start_app, wait_idle
from tests.browser.test_security import stop
from tests.browser.test_security_login import fresh, log_in, signed_in, write_config

sys.path.insert(0, str(ROOT / "tests" / "unit" / "warehouse"))
import pg_cluster  # noqa: E402

expect = Expect()
expect.set_options(timeout=60_000)  # a login waits for the cookie component's rerun
DEMO = ROOT / "data" / "demo"
SCHEMA = "crm"


def demo_cards() -> dict[str, str]:
    """The Overview's cards on all the demo data, computed from deals.csv (all EUR)."""
    with (DEMO / "deals.csv").open(encoding="utf-8", newline="") as handle:
        deals = list(csv.DictReader(handle))
    won = [float(d["amount"]) for d in deals if d["status"] == "won"]
    closed = sum(1 for d in deals if d["status"] in ("won", "lost"))
    open_deals = sum(1 for d in deals if d["status"] == "open")
    return {"Win rate": f"{len(won) / closed:.1%}",
            "Won revenue": f"€{round(sum(won)):,}",
            "Average deal value": f"€{round(sum(won) / len(won)):,}",
            "Closed deals": f"{closed:,}",
            "Open deals": f"{open_deals:,}"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with pg_cluster.running(pytest.skip) as cluster:
        subprocess.run([sys.executable, "-m", "kpi", "load", "--to", cluster.url,
                        "--schema", SCHEMA, *map(str, sorted(DEMO.glob("*.csv")))],
                       cwd=ROOT, check=True, capture_output=True)
        folder = tmp_path_factory.mktemp("warehouse")
        url, process = start_app(env={
            "KPI_AUTH_CONFIG": str(write_config(folder / "auth.yaml")),
            "KPI_WORKSPACES_DIR": str(folder / "workspaces"),
            "KPI_SOURCE_URL": cluster.url, "KPI_SOURCE_SCHEMA": SCHEMA,
        }, script="serve.py")
        try:
            yield url
        finally:
            stop(process)


def card(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(
        has=page.get_by_text(label, exact=True)).first.get_by_test_id("stMetricValue")


def logged_in(browser: Browser, url: str, username: str) -> Page:
    page = fresh(browser)
    page.goto(url)
    log_in(page, username)
    signed_in(page, username)
    wait_idle(page)
    return page


def test_a_viewer_sees_the_demo_overview_from_the_warehouse(server: str,
                                                            browser: Browser) -> None:
    page = logged_in(browser, server, "carla")
    expect(page.get_by_role("heading", name=t("overview.title", "en"), exact=True)
           ).to_be_visible()
    for label, value in demo_cards().items():
        expect(card(page, label)).to_have_text(value)
    expect(page.get_by_role("heading", name=t("deal_ageing.title", "en"), exact=True)
           ).to_be_visible()  # the page's last section: every query answered
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Live figures from the warehouse (schema crm).")).to_be_visible()
    expect(page.get_by_text("Nothing published yet.")).to_have_count(0)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    wait_idle(page)
    shot = screenshot(page, "warehouse-overview")
    assert shot.stat().st_size > 0
    assert "postgresql://" not in page.content() and "kpi-pg-" not in page.content()
    page.context.close()


def test_a_manager_sees_what_the_source_holds_on_the_data_page(server: str,
                                                               browser: Browser) -> None:
    page = logged_in(browser, server, "alice")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Data").click()
    expect(page.get_by_role("heading", name=t("data.title", "en"), exact=True)).to_be_visible()
    expect(page.get_by_text("This app reads its figures live from the warehouse (schema crm)")
           ).to_be_visible()
    expect(page.get_by_text("Uploads, column mappings and drafts do not apply")).to_be_visible()
    expect(page.get_by_test_id("stFileUploader")).to_have_count(0)
    with (DEMO / "deals.csv").open(encoding="utf-8") as handle:
        deals = sum(1 for _ in handle) - 1
    grid = page.get_by_test_id("stDataFrame")
    expect(grid).to_have_count(1)
    first = grid.locator("tbody tr").first  # the canvas' cells, mirrored in the DOM (raw)
    expect(first.locator("td").nth(0)).to_have_text("Deals")
    expect(first.locator("td").nth(1)).to_have_text(str(deals))
    wait_idle(page)
    shot = screenshot(page, "warehouse-data-page")
    assert shot.stat().st_size > 0
    page.context.close()
