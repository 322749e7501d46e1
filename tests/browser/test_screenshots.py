"""Every page in English and French, at desktop and phone widths, on the demo workspace.

Each test saves test-output/screenshots/<page>-<lang>-<width>.png (looked at before a
change to a page is called done) and checks the page drew its title and no exception.
The language comes from the browser's locale, as for a first visitor.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kpi.i18n import t
from tests.browser.helpers import screenshot, screenshot_first_screen, wait_idle

# page name -> (url path, title key, draws charts)
PAGES = {
    "overview": ("", "overview.title", True),
    "social-selling": ("social-selling", "social.title", True),
    "proposals": ("proposals", "proposals.title", True),
    "content": ("content", "content.title", True),
    "channels": ("channels", "channels.title", True),
    "packages": ("packages", "comp.title", True),
    "data": ("data", "data.title", False),
    "definitions": ("definitions", "nav.definitions", False),
}
WIDTHS = {1400: 900, 390: 844}
# A field or channel id shown as such (cold_call, deal_id); file names are the user's own.
CODE_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b(?![\w.]*\.(?:csv|tsv|xlsx|parquet|json)\b)")
LOCALES = {"en": "en-US", "fr": "fr-FR"}


def _open(browser, lang: str, width: int, color_scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": WIDTHS[width]},
                                  locale=LOCALES[lang], color_scheme=color_scheme)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return context, page


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("lang", list(LOCALES))
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_in_both_languages_and_widths(app_url, browser, name: str,
                                                         lang: str, width: int) -> None:
    path, title_key, has_charts = PAGES[name]
    context, page = _open(browser, lang, width)
    try:
        page.goto(f"{app_url}/{path}")
        wait_idle(page)
        expect(page.get_by_role("heading", name=t(title_key, lang), exact=True)).to_be_visible()
        if has_charts:
            page.locator(".vega-embed canvas, .vega-embed svg").first.wait_for()
        assert page.locator("[data-testid='stException']").count() == 0
        _whole_page(page, width)
        screenshot(page, f"{name}-{lang}-{width}")
        if width == 1400:  # the same words at both widths
            assert not CODE_NAME.findall(_shown_text(page)), name
    finally:
        context.close()


def _whole_page(page, width: int) -> None:
    """Make the window as tall as the page: Streamlit scrolls inside its main element, so a
    full-page screenshot of a 844 px window would show the first screen only."""
    height = page.get_by_test_id("stMain").evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": width, "height": max(height, WIDTHS[width])})
    wait_idle(page)
    # Tables draw once in view: wait until no visible placeholder is left.
    expect(page.locator("[data-testid='stSkeleton']:visible")).to_have_count(0, timeout=30_000)


def _shown_text(page) -> str:
    """What a reader sees: the page's text and the charts' labels.

    Icons are font ligatures (`upload_file`): hidden first, so call it after the screenshot.
    Grids are canvases (their DOM mirror holds raw codes, not the labels drawn): the
    screenshots show them.
    """
    page.evaluate("""() => document.querySelectorAll('span, i').forEach(e => {
        if (getComputedStyle(e).fontFamily.includes('Material')) e.style.display = 'none';
    })""")
    labels = page.locator(".vega-embed svg text").all_text_contents()
    return "\n".join([page.locator("body").inner_text(), *labels])


def _top(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, locator
    return box["y"]


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_phone_drawer_opens_on_the_filters(app_url, browser, lang: str) -> None:
    """The sidebar is a drawer on a phone: opened, it shows the filters first, then the
    rest (the copy link, demo banner, language), and the page menu last (screenshot)."""
    context, page = _open(browser, lang, 390)
    try:
        page.goto(app_url)
        wait_idle(page)
        page.get_by_test_id("stExpandSidebarButton").click()
        wait_idle(page)
        sidebar = page.get_by_test_id("stSidebar")
        period = sidebar.get_by_role("combobox", name=t("filters.period", lang))
        menu = sidebar.get_by_test_id("stSidebarNav")
        language = sidebar.get_by_role("combobox", name="Language / Langue")
        banner = sidebar.get_by_text(t("app.demo_banner", lang))
        for drawn in (period, menu, language, banner):
            expect(drawn).to_be_attached()
        page.wait_for_function("""() => {  // the drawer has finished sliding in
            const drawer = document.querySelector("[data-testid='stSidebar']");
            return drawer.getAnimations().length === 0 && drawer.getBoundingClientRect().left >= 0;
        }""")
        expect(period).to_be_in_viewport()
        assert _top(period) < _top(language) < _top(menu)
        assert _top(period) < _top(banner) < _top(menu)
        screenshot(page, f"overview-{lang}-390-drawer")  # what was just measured
        menu.get_by_role("link", name=t("nav.channels", lang)).click()  # the menu still works
        expect(page.get_by_role("heading", name=t("channels.title", lang), exact=True)
               ).to_be_visible()
    finally:
        context.close()


def test_the_desktop_sidebar_keeps_the_menu_on_top(app_url, page) -> None:
    page.goto(app_url)
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    period = sidebar.get_by_role("combobox", name=t("filters.period", "en"))
    assert _top(sidebar.get_by_test_id("stSidebarNav")) < _top(period)


def _cards_per_row(page) -> list[int]:
    """How many KPI cards sit side by side on each row, top to bottom."""
    tops = [round(_top(card)) for card in page.get_by_test_id("stMetric").all()]
    return [tops.count(top) for top in sorted(set(tops))]


# One phone screen is 844 px (390x844). The eight cards and the line saying which
# periods they compare with fill about that screen; the first chart must start right
# under it (it started at 1,606 px, two screens down, with one card per row). French
# labels wrap to two lines more often, hence the ~100 px beyond the screen.
FIRST_CHART_MAX_TOP = 950


@pytest.mark.parametrize("lang", list(LOCALES))
def test_the_phone_overview_shows_a_chart_within_about_one_screen(app_url, browser,
                                                                  lang: str) -> None:
    context, page = _open(browser, lang, 390)
    try:
        page.goto(app_url)
        wait_idle(page)
        chart = page.locator(".vega-embed").first
        chart.wait_for()
        screenshot_first_screen(page, f"overview-{lang}-390-first-screen")
        # Every row of cards holds two (the eight headline cards, then any section's).
        rows = _cards_per_row(page)
        assert set(rows) == {2} and sum(rows) >= 8, rows
        main = page.get_by_test_id("stMain")
        assert _top(chart) - _top(main) <= FIRST_CHART_MAX_TOP
        cut = page.evaluate("""() => [...document.querySelectorAll(
            "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer']")]
            .filter(label => label.scrollWidth > label.clientWidth).map(label => label.innerText)
        """)
        assert not cut  # a long label wraps, never ends in "…"
    finally:
        context.close()


def test_desktop_cards_stay_four_per_row(app_url, page) -> None:
    page.goto(app_url)
    wait_idle(page)
    page.get_by_test_id("stMetric").first.wait_for()
    rows = _cards_per_row(page)
    assert set(rows) == {4} and sum(rows) >= 8, rows  # headline cards, then sections'


def _background_luminance(page) -> float:
    """Relative brightness (0 black, 1 white) of the app's background."""
    rgb = page.get_by_test_id("stApp").evaluate(
        "e => getComputedStyle(e).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)")
    return sum(rgb) / (3 * 255)


@pytest.mark.parametrize(("scheme", "dark"), [("dark", True), ("light", False)])
def test_the_theme_follows_the_system_setting(app_url, browser, scheme: str,
                                              dark: bool) -> None:
    context, page = _open(browser, "en", 1400, color_scheme=scheme)
    try:
        page.goto(app_url)
        wait_idle(page)
        expect(page.get_by_role("heading", name=t("overview.title", "en"))).to_be_visible()
        assert (_background_luminance(page) < 0.5) is dark
        screenshot(page, f"overview-en-1400-{scheme}")
    finally:
        context.close()
