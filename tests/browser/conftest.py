"""Browser tests: the real app under `streamlit run`, driven by Playwright on Debian's chromium.

One server per test module (a fresh server is what a first visitor meets);
every interaction waits for Streamlit to finish its run instead of sleeping.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    running_servers,
    server_output,
    start_app,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failing browser test shows what its servers printed (a flake leaves a trace in CI)."""
    report = yield
    if report.failed and "tests/browser" in str(item.fspath):
        for process in running_servers():
            report.sections.append((f"server {process.pid} output (tail)",
                                    server_output(process)))
    return report


@pytest.fixture(scope="module")
def app_url() -> Iterator[str]:
    url, process = start_app()
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing; `make test` installs it")
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(60_000)
    yield page
    context.close()


