"""Clicking a bar filters the drill-down below the chart (Altair selection -> `on_select`)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, wait_idle


@pytest.mark.parametrize(("page_link", "tooltip_field", "drilldown"), [
    ("Channels", "Channel", r"\d+ deals closed in the period"),
    ("Packages vs revenue", "Rep", r"\d+ deals won in the period"),
])
def test_clicking_a_bar_filters_the_rows_below(app_url, page, page_link: str,
                                               tooltip_field: str, drilldown: str) -> None:
    # From the home page: on a fresh server a deep link first shows Streamlit's
    # "Page not found" dialog (see ARCHITECTURE.md), which makes the page inert.
    page.goto(app_url)
    wait_idle(page)
    page.get_by_role("link", name=page_link, exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name=page_link, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Selected:"))).to_have_count(0)

    # Vega draws SVG marks with an aria-label per bar: "…; Channel: Referral; …".
    bars = page.locator("[data-testid='stVegaLiteChart'] g.mark-rect path")
    label = bars.first.get_attribute("aria-label") or ""
    picked = re.search(rf"{tooltip_field}: ([^;]+);", label).group(1)
    bars.first.click()

    expect(page.get_by_role("heading", name=f"Selected: {picked}", exact=True)).to_be_visible()
    wait_idle(page)
    screenshot(page, f"bar-clicked-{page_link.split()[0].lower()}")
    expect(page.get_by_text(re.compile(drilldown))).to_be_visible()

    # Double-click clears the selection (the caption under the chart says so).
    bars.first.dblclick()
    expect(page.get_by_role("heading", name=re.compile("^Selected:"))).to_have_count(0)
