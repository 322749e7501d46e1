"""The KPI pages in a real browser on the demo workspace: charts, filters, links, languages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import ROOT, screenshot, wait_idle

# url_path -> English title (kpi/i18n.py)
PAGES = {
    "": "Overview",
    "social-selling": "Social selling",
    "proposals": "Proposals & forecast",
    "content": "Marketing content",
    "channels": "Channels",
    "packages": "Packages vs revenue",
}
FRENCH_TITLES = {"": "Vue d'ensemble", "channels": "Canaux", "packages": "Packages vs chiffre d'affaires"}
REP = "Camille Martin"  # a rep of data/demo


def _metric(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text()


def test_a_deep_link_on_a_fresh_server_reaches_its_page_with_its_filters(app_url, page) -> None:
    # First request this server sees: no session has run st.navigation yet, so
    # Streamlit's legacy pages/ lookup runs pages/channels.py, which hands over
    # to app.py (kpi/ui/handover.py): no "Page not found" dialog.
    page.goto(f"{app_url}/channels?rep={REP.replace(' ', '+')}")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Channels", exact=True)).to_be_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator("[data-testid='stMultiSelectTagsContainer']").first).to_contain_text(REP)
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_text("Page not found").count() == 0


def test_every_page_url_has_its_hand_over_script() -> None:
    """pages/<url>.py for each URL app.py registers, and no other script beside the modules."""
    app = (ROOT / "app.py").read_text()
    urls = set(re.findall(r'"nav\.\w+", "([\w-]+)"', app))  # /overview too (then "/")
    assert len(urls) == 9
    scripts = {p.stem for p in (ROOT / "pages").glob("*.py") if not p.stem.endswith("_page")}
    assert scripts - {"__init__"} == urls
    for url in urls:
        assert "run_app()" in (ROOT / "pages" / f"{url}.py").read_text(), url


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_draws_its_charts(app_url, page, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    wait_idle(page)
    expect(page.get_by_role("heading", name=PAGES[path], exact=True)).to_be_visible()
    expect(page.locator(".vega-embed").first).to_be_visible()
    page.locator(".vega-embed canvas, .vega-embed svg").first.wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, f"page-{path or 'overview'}-en")


@pytest.mark.parametrize("path", list(FRENCH_TITLES))
def test_pages_speak_french(app_url, page, path: str) -> None:
    page.goto(f"{app_url}/{path}?lang=Fran%C3%A7ais")
    wait_idle(page)
    expect(page.get_by_role("heading", name=FRENCH_TITLES[path], exact=True)).to_be_visible()
    expect(page.locator(".vega-embed").first).to_be_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, f"page-{path or 'overview'}-fr")


def test_a_filter_changes_the_figures_and_the_link_reproduces_the_view(app_url, browser,
                                                                        page) -> None:
    page.goto(app_url)
    wait_idle(page)
    everyone = _metric(page, "Won revenue")
    reps = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first
    reps.click()
    page.get_by_role("option", name=REP, exact=True).click()
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"rep=Camille"))
    wait_idle(page)
    expect(page.locator("[data-testid='stMetric']").filter(has_text="Won revenue").first
           .locator("[data-testid='stMetricValue']")).not_to_have_text(everyone)
    one_rep = _metric(page, "Won revenue")
    screenshot(page, "overview-filtered")

    # Someone else opens the copied address: same page, same filter, same figure.
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    other.goto(page.url)
    wait_idle(other)
    expect(other.locator("[data-testid='stMetric']").filter(has_text="Won revenue").first
           .locator("[data-testid='stMetricValue']")).to_have_text(one_rep)
    other.context.close()
