"""HTML in uploaded names renders as text everywhere: sidebar, tables, chart tooltips."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from kpi.i18n import t
from tests.browser.helpers import screenshot, upload_exports, wait_idle

EVIL = "<img src=x onerror=alert(1)>Eve"
BOLD = "<b>Zoé</b>"
DEALS = (
    "deal_id,owner,channel,status,amount,created_at,closed_at\n"
    f'H1,"{EVIL}",LinkedIn,won,1000,2025-03-01,2025-03-11\n'
    f"H2,{BOLD},Referral,open,500,2025-03-02,\n"
    f"H3,{BOLD},Referral,won,700,2025-03-03,2025-03-20\n"
)


def test_html_in_rep_names_is_shown_as_text(app_url: str, page, tmp_path: Path) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("link", name="Data", exact=True).click()
    wait_idle(page)
    page.get_by_role("button", name="Clear").click()
    wait_idle(page)
    path = tmp_path / "evil.csv"
    path.write_text(DEALS)
    upload_exports(page, path)
    expect(page.get_by_text("evil.csv — Deals: 3 rows loaded, 0 rejected")).to_be_visible()

    page.get_by_role("link", name="Overview", exact=True).click()
    wait_idle(page)
    expect(page.locator(".vega-embed").first).to_be_visible()
    # The rep list offers the names exactly as typed, as text.
    page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first.click()
    expect(page.get_by_role("option", name=EVIL, exact=True)).to_be_visible()
    expect(page.get_by_role("option", name=BOLD, exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    # Hovering the open-pipeline bar (only Zoé has an open deal) shows a tooltip
    # whose text is her name as typed, not markup.
    chart = page.locator(f".vega-embed[aria-label='{t('overview.open_by_rep', 'en')}']")
    chart.scroll_into_view_if_needed()
    box = chart.locator("canvas, svg").first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3)
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_contain_text(BOLD)
    screenshot(page, "hostile-names-tooltip")
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("b", has_text="Zoé").count() == 0
    assert dialogs == []
