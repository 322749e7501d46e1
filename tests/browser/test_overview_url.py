"""/overview (the Overview's name in app.py) opens the Overview, as / does, with the link's settings.

The Overview is the default page, served at /. A link naming it (/overview?...)
is sent to / with the same query string, on a fresh server (its first request:
pages/overview.py hands it to app.py) and on a running one, never to
Streamlit's "Page not found" dialog. The module's server (conftest's `app_url`)
is fresh: this test makes its first request.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from kpi.i18n import t
from tests.browser.helpers import wait_idle

QUERY = "period=last_12_months&channel=linkedin&channel=referral"


def _cards(page: Page) -> list[str]:
    """Every card of the Overview, once its last section (deal ageing) is drawn."""
    values = page.get_by_test_id("stMetricValue")
    values.first.wait_for()  # the cards are drawn (a run can show the page's end first)
    expect(page.get_by_role("heading", name=t("deal_ageing.title", "en"), exact=True)
           ).to_be_visible()
    wait_idle(page)
    return values.all_inner_texts()


def _opens_the_overview(page: Page, url: str) -> list[str]:
    """Open `url`; check it shows the Overview at / with the query kept; its cards."""
    page.goto(url)
    wait_idle(page)
    expect(page.get_by_role("heading", name=t("overview.title", "en"), exact=True)
           ).to_be_visible()
    cards = _cards(page)
    expect(page).to_have_url(re.compile(r"/\?period=last_12_months&channel=linkedin"
                                        r"&channel=referral$"))
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("dialog")).to_have_count(0)
    menu = page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview")
    expect(menu).to_have_attribute("aria-current", "page")  # the menu says where we are
    return cards


def test_overview_by_name_opens_the_overview_on_a_fresh_and_a_running_server(
        app_url: str, browser) -> None:
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
                for _ in range(3)]
    try:
        first, again, home = (context.new_page() for context in contexts)
        fresh = _opens_the_overview(first, f"{app_url}/overview?{QUERY}")  # 1st request
        running = _opens_the_overview(again, f"{app_url}/overview?{QUERY}")
        at_home = _opens_the_overview(home, f"{app_url}/?{QUERY}")
        assert fresh == running == at_home
        home.goto(app_url)  # the link's filters were applied: all data differ
        wait_idle(home)
        expect(home.get_by_role("heading", name=t("overview.title", "en"))).to_be_visible()
        assert _cards(home) != at_home
    finally:
        for context in contexts:
            context.close()
