"""A refused file fixed in the browser: its panel, its columns mapped by hand, its rows loaded.

The app starts on the demo (local mode); the user's file, once loaded, puts the
demo away, and the Overview shows only the user's figures.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests.browser.helpers import screenshot, upload_exports, wait_idle

# Headers no CRM writes. Won revenue by hand: R1 (1,000) and R4 (250) are signed
# (won); R2 is lost and R3 still open.
UNKNOWN = (
    "Code dossier,Qui,Combien,Depuis le,Verdict,Fini le\n"
    "R1,Ana,1000,2025-01-05,Signé,2025-02-01\n"
    "R2,Ana,500,2025-01-06,Perdu,2025-02-03\n"
    "R3,Bob,700,2025-01-07,En cours,\n"
    "R4,Bob,250,2025-01-08,Signé,2025-03-01\n"
).encode()
FIELDS = ["deal_id", "owner", "amount", "created_at", "status", "closed_at"]
WON_REVENUE = "€1,250"
# The mapping grid is a canvas (glide-data-grid): rows are this tall, under a header row.
ROW_HEIGHT = 35


def _choose_field(page, panel, row: int, name: str) -> None:
    """Pick the field of one column in the panel's grid, with the keyboard as a user can."""
    wait_idle(page)
    grid = panel.get_by_test_id("stDataFrame")
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The file's column name (read-only) on that row, then the "Read as" cell beside it.
    page.mouse.click(box["x"] + 30, box["y"] + ROW_HEIGHT * (row + 1.5))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    # The grid's cells are mirrored in the DOM for assistive technologies.
    expect(panel.get_by_test_id(f"glide-cell-1-{row}")).to_have_text(name)


def test_a_refused_file_is_mapped_by_hand_and_its_rows_loaded(app_url: str, page,
                                                              tmp_path: Path) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("link", name="Data", exact=True).click()
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Demo data: upload your own exports")).to_be_visible()

    crm = tmp_path / "crm.csv"
    crm.write_bytes(UNKNOWN)
    upload_exports(page, crm)
    panel = page.get_by_test_id("stExpander").filter(
        has_text="crm.csv — not loaded: choose its table and columns")
    expect(panel.get_by_text("crm.csv: no column was recognised")).to_be_visible()
    expect(panel.get_by_test_id("glide-cell-2-2")).to_have_text("1000, 500, 700")  # samples
    # Refused, the file changed nothing: the demo is still what is shown.
    expect(sidebar.get_by_text("Demo data: upload your own exports")).to_be_visible()
    wait_idle(page)
    panel.scroll_into_view_if_needed()
    screenshot(page, "data-page-refused-file")

    for row, name in enumerate(FIELDS):
        _choose_field(page, panel, row, name)
    wait_idle(page)
    panel.get_by_role("button", name="Apply this mapping").click()
    wait_idle(page)

    expect(page.get_by_text("crm.csv — Deals: 4 rows loaded, 0 rejected")).to_be_visible()
    expect(page.get_by_text("crm.csv — not loaded")).to_have_count(0)
    expect(page.get_by_text("The demo data was put away; your files are shown.")).to_be_visible()
    expect(sidebar.get_by_text("Demo data: upload your own exports")).to_have_count(0)
    assert not page.get_by_test_id("stException").count()
    screenshot(page, "data-page-refused-file-loaded")

    page.get_by_role("link", name="Overview", exact=True).click()
    wait_idle(page)
    won = page.get_by_test_id("stMetric").filter(has_text="Won revenue").first
    expect(won.get_by_test_id("stMetricValue")).to_have_text(WON_REVENUE)
    screenshot(page, "overview-after-fix")
