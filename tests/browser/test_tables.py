"""Rows tables and their CSV in a real browser: numeric sort, French money, French CSV.

The grid is a canvas (glide-data-grid); its cells and headers are mirrored in
the DOM for assistive technologies (raw values, and "↓ Label" on the sorted
header), which is what these tests read.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from kpi.i18n import t
from tests.browser.helpers import screenshot, upload_exports, wait_idle

# Won revenue per channel: numerically 1,738,203.40 > 705,216 > 98,000 > 20,400;
# as text ("1 738 203 €" < "20 400 €" < "705 216 €" < "98 000 €") the order differs.
DEALS = (
    "deal_id,owner,channel,status,amount,created_at,closed_at\n"
    "D1,Ana,website_paid,won,1738203.40,2026-01-05,2026-02-10\n"
    "D2,Bob,event,won,705216,2026-01-06,2026-03-01\n"
    "D3,Bob,event,lost,1000,2026-01-07,2026-03-15\n"
    "D4,Ana,referral,won,98000,2026-02-01,2026-03-20\n"
    "D5,Bob,cold_call,won,20400,2026-02-02,2026-03-25\n"
)
DESCENDING = ["1738203.4", "705216", "98000", "20400"]
HEADER_HEIGHT = 35  # the grid's header row, as its rows (tests/browser/test_fix_flow.py)
STEP = 24  # px between header clicks while looking for a column


def _rows_panel(page: Page, header: str) -> Locator:
    """The 'rows behind the chart' expander whose table has the column `header`, opened."""
    shown = re.escape(t("page.rows_behind.other", "fr", n="X")).replace("X", r"\d+")
    panels = page.get_by_test_id("stExpander").filter(has_text=re.compile(shown))
    expect(panels.first).to_be_visible()  # the page has drawn its tables
    for i in range(panels.count()):
        panel = panels.nth(i)
        panel.locator("summary").click()
        wait_idle(page)
        headers = panel.locator("thead th")
        expect(headers.first).to_be_attached()
        if header in headers.all_inner_texts():
            return panel
        panel.locator("summary").click()  # closed again
    raise AssertionError(f"no rows table with a {header!r} column")


def _column(grid: Locator, index: int) -> list[str]:
    return [row.locator("td").nth(index).inner_text() for row in grid.locator("tbody tr").all()]


def _sort_descending(page: Page, grid: Locator, header: str) -> None:
    """Click the grid's header row left to right until `header` is sorted, then descending.

    A click on a header sorts by that column and renames its mirrored header
    "↑ header"; a second click makes it "↓ header". Each click is followed by a
    wait for the mirrored headers to change (a click on a border changes nothing).
    """
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    headers = grid.locator("thead th")
    x, y = box["x"] + STEP / 2, box["y"] + HEADER_HEIGHT / 2
    while x < box["x"] + box["width"]:
        before = headers.all_inner_texts()
        page.mouse.click(x, y)
        try:
            expect(headers).not_to_have_text(before, timeout=2_000)
        except AssertionError:
            page.keyboard.press("Escape")  # a column menu, if the click opened one
        now = headers.all_inner_texts()
        if f"↓ {header}" in now:
            return
        if f"↑ {header}" not in now:
            x += STEP
    raise AssertionError(f"could not sort {header!r}: {headers.all_inner_texts()}")


def test_money_sorts_as_numbers_and_the_french_csv_opens_in_columns(app_url: str, page: Page,
                                                                     tmp_path: Path) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("link", name=t("nav.data", "en"), exact=True).click()
    wait_idle(page)
    deals = tmp_path / "deals.csv"
    deals.write_text(DEALS, encoding="utf-8")
    upload_exports(page, deals)
    expect(page.get_by_text("deals.csv — Deals: 5 rows loaded, 0 rejected")).to_be_visible()
    wait_idle(page)
    page.get_by_role("link", name=t("nav.social", "en"), exact=True).click()
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").filter(
        has_text="Language / Langue").click()
    page.get_by_role("option", name="Français", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("social.title", "fr"), exact=True)).to_be_visible()

    revenue = t("kpi.won_revenue", "fr")
    panel = _rows_panel(page, revenue)
    grid = panel.get_by_test_id("stDataFrame")
    index = grid.locator("thead th").all_inner_texts().index(revenue)
    _sort_descending(page, grid, revenue)
    expect(grid.locator("thead th").nth(index)).to_have_text(f"↓ {revenue}")
    assert _column(grid, index) == DESCENDING
    screenshot(page, "table-sorted-by-money-fr")

    with page.expect_download() as download_info:
        panel.get_by_role("button", name=t("page.download_csv", "fr")).click()
    data = Path(download_info.value.path()).read_bytes()
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [t("col.channel", "fr"), t("kpi.won_deals", "fr"), revenue,
                       t("kpi.avg_deal_value", "fr")]
    by_channel = {row[0]: row for row in rows[1:]}
    # 1 won deal of 1,738,203.40 on paid ads; 1 won (and 1 lost) of 705,216 at events.
    assert by_channel[t("channel.website_paid", "fr")][1:] == ["1", "1738203,40", "1738203,40"]
    assert by_channel[t("channel.event", "fr")][1:] == ["1", "705216,00", "705216,00"]
    assert "website_paid" not in by_channel
