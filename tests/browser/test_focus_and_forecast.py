"""Channel focus and proposal forecast in a real browser on the demo workspace.

The demo has catch-all channels (Unknown, Other) and pending proposals older
than the stale limit, so both rules of issue 15 (points 4 and 5) show.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from kpi import charts
from tests.browser.helpers import screenshot, wait_idle


def _rgb(color: str) -> tuple[int, int, int]:
    return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _metric(page, label: str) -> str:
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text()


def _open(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


@pytest.mark.parametrize(("lang", "title", "apart", "link"), [
    ("en", "Channels", "Not ranked: sources to map", "Map these sources to channels"),
    ("fr", "Canaux", "Non classées : sources à rattacher", "Rattacher ces sources"),
])
def test_catch_alls_are_apart_and_bars_are_coloured_by_decision(app_url, page, lang: str,
                                                                 title: str, apart: str,
                                                                 link: str) -> None:
    _open(page, app_url)  # a fresh server's first deep link is another issue's business
    _open(page, f"{app_url}/channels?lang={lang}")
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    boxes = page.locator("[data-testid='stLayoutWrapper']")  # bordered containers
    box = boxes.filter(has=page.get_by_text(apart, exact=True)).last
    keep = boxes.filter(has=page.get_by_text(
        re.compile(rf"^{charts.t('focus.keep', lang)} \(\d+\)$"))).last
    expect(box).to_be_visible()
    expect(keep).to_be_visible()
    for catch_all in ("other", "unknown"):
        expect(box).to_contain_text(charts.channel_label(catch_all, lang))
        expect(keep).not_to_contain_text(charts.channel_label(catch_all, lang))
    expect(box.get_by_text(link)).to_be_visible()

    chart = page.locator(".vega-embed").first
    chart.locator("canvas, svg").first.wait_for()
    image = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
    counts = {color: n for n, color in image.getcolors(image.width * image.height)}
    # Bars' insides are exact colours: the four decisions are there (the demo has all
    # four), the channels' own colours are not.
    for decision, color in charts.DECISION_COLORS.items():
        assert counts.get(_rgb(color), 0) > 200, decision
    for channel in ("linkedin", "referral", "event", "cold_call"):
        assert counts.get(_rgb(charts.CHANNEL_COLORS[channel]), 0) < 50, channel
    screenshot(page, f"focus-channels-{lang}")


def test_stale_proposals_are_apart_and_can_be_counted_back(app_url, page) -> None:
    _open(page, app_url)
    _open(page, f"{app_url}/proposals?stale_days=30")
    warning = page.locator("[data-testid='stAlert']").filter(has_text="stale proposals")
    expect(warning).to_contain_text("pending for more than 30 days. Left out of the forecast.")
    expect(page.get_by_text("Stale after 30 days, as you chose")).to_be_visible()
    left_out = _metric(page, "Forecast revenue")

    page.get_by_text("Count stale proposals in the forecast").click()
    wait_idle(page)
    expect(warning).to_contain_text("Counted in the forecast")
    assert _metric(page, "Forecast revenue") != left_out
    assert "include_stale=true" in page.url and "stale_days=30" in page.url
    screenshot(page, "forecast-stale-counted-en")

    # the link keeps the view: a fresh visitor gets the same forecast
    _open(page, page.url)
    expect(page.get_by_text("Counted in the forecast").first).to_be_visible()
