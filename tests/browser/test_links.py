"""A copied link keeps the view in the other language, and through the login (hosted mode).

Local mode on the demo data: filters and a drill-down set in English, the
link read from "Copy link to this view", opened in a fresh French browser.
Hosted mode reuses test_security's server (a published snapshot, a viewer).
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from kpi.i18n import TEXTS, format_date, format_money, t
from tests.browser.helpers import SHOTS, screenshot, wait_idle
from tests.browser.test_security import hosted, hosted_config  # noqa: F401 - fixtures

FRENCH = {"locale": "fr-FR", "viewport": {"width": 1400, "height": 1000}}


def card(page: Page, label: str):
    return page.locator("[data-testid='stMetric']").filter(
        has=page.get_by_text(label, exact=True)).first.locator("[data-testid='stMetricValue']")


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the sidebar select box labelled `label`."""
    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").filter(
        has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def highlighted_bars(page: Page) -> list[str]:
    """The channels whose bar is drawn in full (the others fade when one is selected)."""
    page.locator("[data-testid='stVegaLiteChart'] g.mark-rect path").first.wait_for()
    marks = page.evaluate("""() => [...document.querySelectorAll(
        "[data-testid='stVegaLiteChart'] g.mark-rect path")].map(
        bar => [bar.getAttribute("aria-label"), bar.getAttribute("opacity")])""")
    faded = {opacity for _, opacity in marks} - {"1"}
    assert len(faded) == 1 or not faded, marks
    return [re.search(r"channel_label: ([^;]+);", label).group(1)
            for label, opacity in marks if opacity == "1" and faded]


def copied_link(page: Page) -> str:
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Copy link to this view|Copier le lien")).click()
    code = page.locator("[data-testid='stPopoverBody'] code").first
    expect(code).to_contain_text("?")
    return code.inner_text().strip()


def test_a_link_with_filters_and_a_drill_down_opens_in_french_with_the_same_figures(
        app_url, browser, page: Page) -> None:
    page.goto(app_url)  # the home page first: see test_chart_selection
    wait_idle(page)
    page.get_by_role("link", name="Channels", exact=True).click()
    wait_idle(page)
    pick(page, "Period", "Last 12 months")
    channels = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").filter(
        has_text="Channels").locator("input")
    for name in ("Referral", "LinkedIn", "Cold call"):
        channels.click()
        channels.fill(name)
        page.get_by_role("option", name=name, exact=True).click()
        page.keyboard.press("Escape")  # close the list: the choice is sent
        wait_idle(page)
    expect(page).to_have_url(re.compile(r"channel=referral&channel=linkedin&channel=cold_call"))
    bars = page.locator("[data-testid='stVegaLiteChart'] g.mark-rect path")
    label = bars.first.get_attribute("aria-label") or ""
    picked = re.search(r"Channel: ([^;]+);", label).group(1)
    bars.first.click()
    expect(page.get_by_role("heading", name=f"Selected: {picked}", exact=True)).to_be_visible()
    wait_idle(page)
    revenue = card(page, "Revenue").inner_text()
    win_rate = card(page, "Win rate").inner_text()

    link = copied_link(page)
    screenshot(page, "links-copied-en")
    assert link.startswith(f"{app_url}/channels?")
    assert "period=last_12_months" in link
    assert "channel=referral&channel=linkedin&channel=cold_call" in link
    assert "selected_channel=" in link and "Last" not in link

    french = browser.new_context(**FRENCH).new_page()
    try:
        french.goto(link)
        wait_idle(french)
        expect(french.get_by_role("heading", name="Canaux", exact=True)).to_be_visible()
        expect(french.get_by_role("combobox", name="Période")).to_have_value("12 derniers mois")
        chosen = french.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(1)
        for name in ("channel.referral", "channel.linkedin", "channel.cold_call"):
            expect(chosen).to_contain_text(TEXTS[name]["fr"])
        expect(french.get_by_role("heading", name=re.compile("^Sélection : "))).to_be_visible()
        # the chart shows the link's drill-down as a click leaves it: that bar alone in full
        code = re.search(r"selected_channel=(\w+)", link).group(1)
        assert highlighted_bars(french) == [TEXTS[f"channel.{code}"]["fr"]]
        chart = french.get_by_test_id("stVegaLiteChart").first
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(SHOTS / "links-opened-fr-drilldown.png"))
        assert digits(card(french, TEXTS["kpi.revenue"]["fr"]).inner_text()) == digits(revenue)
        assert digits(card(french, TEXTS["kpi.win_rate"]["fr"]).inner_text()) == digits(win_rate)
        assert french.locator("[data-testid='stException']").count() == 0
        screenshot(french, "links-opened-fr")
    finally:
        french.context.close()


def test_a_french_link_keeps_its_period_through_the_login(hosted: str, browser) -> None:  # noqa: F811
    # The published snapshot ends on 1 Mar 2025: "this month" is March 2025, in
    # which one deal (V-3, referral, 8,500) was won.
    reader = browser.new_context(**FRENCH).new_page()
    try:
        reader.goto(f"{hosted}/?period=this_month&channel=referral&lang=fr")
        wait_idle(reader)
        screenshot(reader, "links-login-form-fr")
        reader.get_by_label(TEXTS["auth.username"]["fr"], exact=True).fill("victor")
        reader.get_by_label(TEXTS["auth.password"]["fr"], exact=True).fill("victor-password-3")
        reader.get_by_role("button", name=TEXTS["auth.login"]["fr"]).click()
        expect(reader.get_by_role("heading", name="Vue d'ensemble", exact=True)).to_be_visible(
            timeout=30_000)
        wait_idle(reader)
        expect(card(reader, TEXTS["kpi.won_revenue"]["fr"])).to_have_text(
            format_money(8500, "fr", "EUR"))
        expect(reader).to_have_url(re.compile(r"period=this_month"))
        march = t("page.period", "fr", start=format_date("2025-03-01", "fr"),
                  end=format_date("2025-03-01", "fr"))
        expect(reader.get_by_text(march)).to_be_visible()
        screenshot(reader, "links-after-login-fr")
    finally:
        reader.context.close()
