"""Workspaces that survive a reload, kept apart per browser and per manager; and a fresh
server's first deep link that reaches its page (no "Page not found"), through the login.

Each server here gets its own KPI_WORKSPACES_DIR, and the deep-link tests are
the first request their server sees.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import screenshot, start_app, upload_exports, wait_idle
from tests.browser.test_security import PUBLISHED, log_in, login_form, write_config

MINE = (  # 3 deals, reps that the demo has not
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "M-1,Zoé Upload,won,1000,2025-01-02,2025-02-01,linkedin\n"
    "M-2,Zoé Upload,lost,500,2025-01-03,2025-02-05,referral\n"
    "M-3,Yann Upload,won,250,2025-01-04,2025-03-01,referral\n"
)
LOADED = re.compile(r"my_deals\.csv — Deals: 3 rows loaded")
DEMO = "These are demo data"
NOT_FOUND = "Page not found"
REP = "Camille Martin"  # a rep of data/demo and of PUBLISHED


def _server(env: dict[str, str]) -> Iterator[str]:
    url, process = start_app(env=env)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workspaces")


@pytest.fixture(scope="module")
def local(root: Path) -> Iterator[str]:
    yield from _server({"KPI_WORKSPACES_DIR": str(root)})


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hosted")
    from kpi import snapshots
    from kpi.workspace import Workspace

    published = Workspace()
    published.add_file(PUBLISHED.encode(), "published_deals.csv")
    snapshots.publish(published, by="alice", by_name="Alice", root=folder / "workspaces")
    published.close()
    config = write_config(folder / "auth.yaml")
    yield from _server({"KPI_AUTH_CONFIG": str(config),
                        "KPI_WORKSPACES_DIR": str(folder / "workspaces")})


@pytest.fixture
def two_browsers(browser):
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
                for _ in range(2)]
    pages = [context.new_page() for context in contexts]
    for page in pages:
        page.set_default_timeout(60_000)
    yield pages
    for context in contexts:
        context.close()


def _data_page(page, url: str) -> None:
    page.goto(f"{url}/data")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()


def _rep_filter(page):
    return page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").first


def test_a_fresh_servers_first_deep_link_opens_its_page_with_its_filters(local: str,
                                                                         page) -> None:
    page.goto(f"{local}/channels?rep={REP.replace(' ', '+')}")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Channels", exact=True)).to_be_visible()
    expect(_rep_filter(page)).to_contain_text(REP)
    assert page.get_by_role("dialog").count() == 0
    assert page.get_by_text(NOT_FOUND).count() == 0
    screenshot(page, "persistence-first-deep-link")


def test_a_reload_and_a_new_tab_keep_an_upload_another_browser_never_sees_it(
        local: str, root: Path, two_browsers, tmp_path: Path) -> None:
    mine, theirs = two_browsers
    upload = tmp_path / "my_deals.csv"
    upload.write_text(MINE)
    _data_page(mine, local)
    upload_exports(mine, upload)
    expect(mine.get_by_text(LOADED)).to_be_visible()
    wait_idle(mine)

    _data_page(theirs, local)  # another browser: the demo, never my file
    expect(theirs.get_by_text(DEMO)).to_be_visible()
    assert theirs.get_by_text("my_deals.csv").count() == 0

    mine.reload()
    wait_idle(mine)
    expect(mine.get_by_text(LOADED)).to_be_visible()
    assert mine.get_by_text(DEMO).count() == 0
    tab = mine.context.new_page()
    tab.goto(local)
    wait_idle(tab)
    tab.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Data").click()
    expect(tab.get_by_text(LOADED)).to_be_visible()
    screenshot(tab, "persistence-new-tab-keeps-the-upload")

    # The key: a long random token in a cookie, never in the URL; on disk, its hash.
    token = next(c["value"] for c in mine.context.cookies() if c["name"] == "kpi_draft")
    assert len(token) == 43 and token not in mine.url and token not in tab.url
    drafts = [p.name for p in (root / "drafts").iterdir()]
    assert hashlib.sha256(f"browser:{token}".encode()).hexdigest() in drafts
    assert not any(token in name for name in drafts)

    theirs.reload()
    wait_idle(theirs)
    expect(theirs.get_by_text(DEMO)).to_be_visible()
    assert theirs.get_by_text("my_deals.csv").count() == 0


def test_start_over_and_the_demo_survive_a_reload_too(local: str, page) -> None:
    _data_page(page, local)
    expect(page.get_by_text("kept on this server for this browser only")).to_be_visible()
    page.get_by_role("button", name="Clear").click()
    expect(page.get_by_text("No data yet")).to_be_visible()
    wait_idle(page)  # the run that cleared saves the draft as it ends
    page.reload()
    wait_idle(page)
    expect(page.get_by_text("No data yet")).to_be_visible()
    screenshot(page, "persistence-start-over-after-reload")
    page.get_by_role("button", name="Load demo data").click()
    # The click's run saves the draft when it ends: see the demo, then the run end.
    expect(page.get_by_text(DEMO)).to_be_visible()
    wait_idle(page)
    page.reload()
    wait_idle(page)
    expect(page.get_by_text(DEMO)).to_be_visible()


# --- hosted mode ---------------------------------------------------------------------


def test_hosted_first_deep_link_goes_through_the_login_to_its_page(hosted: str, page) -> None:
    page.goto(f"{hosted}/channels?rep={REP.replace(' ', '+')}")
    login_form(page)
    assert page.get_by_text(NOT_FOUND).count() == 0
    log_in(page, "victor")
    expect(page.get_by_role("heading", name="Channels", exact=True)).to_be_visible()
    expect(_rep_filter(page)).to_contain_text(REP)
    assert page.get_by_text(NOT_FOUND).count() == 0
    screenshot(page, "persistence-hosted-first-deep-link")


def test_each_manager_keeps_an_own_draft_across_a_reload(hosted: str, two_browsers,
                                                         tmp_path: Path) -> None:
    alice, bruno = two_browsers
    upload = tmp_path / "my_deals.csv"
    upload.write_text(MINE)
    for page, name in ((alice, "alice"), (bruno, "bruno")):
        page.goto(f"{hosted}/data")
        login_form(page)
        log_in(page, name)
        expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    expect(alice.get_by_text("kept as your draft, seen by you only")).to_be_visible()
    upload_exports(alice, upload)
    expect(alice.get_by_text(LOADED)).to_be_visible()
    wait_idle(alice)
    alice.reload()  # logged in again by her cookie: her draft, not the empty workspace
    expect(alice.get_by_text(LOADED)).to_be_visible()
    bruno.reload()
    expect(bruno.get_by_text("No data yet")).to_be_visible()
    assert bruno.get_by_text("my_deals.csv").count() == 0
