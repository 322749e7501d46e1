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
from tests.browser.helpers import screenshot, wait_idle

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


def test_the_phone_drawer_holds_the_filters(app_url, browser) -> None:
    """The sidebar is a drawer on a phone: opened, it shows the filters (screenshot)."""
    context, page = _open(browser, "en", 390)
    try:
        page.goto(app_url)
        wait_idle(page)
        page.get_by_test_id("stExpandSidebarButton").click()
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text(t("filters.period", "en"), exact=True)).to_be_visible()
        page.wait_for_function("""() => {  // the drawer has finished sliding in
            const drawer = document.querySelector("[data-testid='stSidebar']");
            return drawer.getAnimations().length === 0 && drawer.getBoundingClientRect().left >= 0;
        }""")
        screenshot(page, "overview-en-390-drawer")
    finally:
        context.close()


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
