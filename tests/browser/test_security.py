"""Hosted mode in a real browser: the login gate, the roles, and two managers at once.

`streamlit run app.py` with KPI_AUTH_CONFIG pointing at a temporary YAML file
(bcrypt hashes made here) and KPI_WORKSPACES_DIR at a temporary folder holding
one published snapshot. The first test meets a freshly started server: it
opens every page URL logged out before any session has run st.navigation.

app.py is wired as docs/sharing.md ("How app.py uses it") describes.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest
import yaml
from playwright.sync_api import Expect, Page

from tests.browser.helpers import screenshot, start_app, upload_exports, wait_idle

# After a login the page appears only on the run that the cookie component
# triggers once the cookie is written: on a small CI machine, wait up to 30 s
# rather than Playwright's 5 s. A module-local `expect`: other modules keep theirs.
expect = Expect()
expect.set_options(timeout=30_000)

USERS = {  # username: (password, role)
    "alice": ("alice-password-1", "manager"),
    "bruno": ("bruno-password-2", "manager"),
    "victor": ("victor-password-3", "viewer"),
}
PUBLISHED = (  # won revenue €20,500, win rate 66.7%
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "V-1,Camille Martin,won,12000,2025-01-02,2025-02-01,linkedin\n"
    "V-2,Nathan Leroy,lost,500,2025-01-03,2025-02-05,website\n"
    "V-3,Camille Martin,won,8500,2025-01-04,2025-03-01,referral\n"
)
ALICE_FILE = (  # won revenue €33,333
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "A-1,Alice Martin,won,11111,2025-01-02,2025-02-01,linkedin\n"
    "A-2,Alice Martin,won,22222,2025-01-03,2025-02-05,website\n"
    "A-3,Paul Roux,lost,500,2025-01-04,2025-03-01,referral\n"
)
BRUNO_FILE = (  # won revenue €70,000
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "B-1,Bruno Petit,won,70000,2025-01-05,2025-02-11,events\n"
    "B-2,Bruno Petit,lost,1000,2025-01-06,2025-02-12,events\n"
)
NO_ACCESS = ["[data-testid='stMetric']", "[data-testid='stFileUploader']",
             "[data-testid='stVegaLiteChart']", "[data-testid='stSidebarNav']",
             "[data-testid='stMultiSelect']", "h1"]


def write_config(path: Path, cookie_key: str | None = None) -> Path:
    users = {
        name: {"name": name.title(), "email": f"{name}@example.com", "roles": [role],
               "password": bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=12)).decode()}
        for name, (pw, role) in USERS.items()
    }
    path.write_text(yaml.safe_dump({
        "credentials": {"usernames": users},
        "cookie": {"name": "kpi_browser_auth", "expiry_days": 1,
                   "key": cookie_key or secrets.token_urlsafe(48)},
    }))
    return path


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def hosted_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_config(tmp_path_factory.mktemp("hosted-config") / "auth.yaml")


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory, hosted_config: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hosted")
    root = folder / "workspaces"
    from kpi import snapshots
    from kpi.workspace import Workspace

    published = Workspace()
    published.add_file(PUBLISHED.encode(), "published_deals.csv")
    snapshots.publish(published, by="alice", by_name="Alice", root=root)
    published.close()
    url, process = start_app(env={"KPI_AUTH_CONFIG": str(hosted_config),
                                  "KPI_WORKSPACES_DIR": str(root)})
    yield url
    stop(process)


def login_form(page: Page) -> None:
    """The login form is shown, and nothing of the product."""
    expect(page.get_by_label("Username", exact=True)).to_be_visible()
    expect(page.get_by_label("Password", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Login")).to_be_visible()
    wait_idle(page)
    for selector in NO_ACCESS:
        assert page.locator(selector).count() == 0, selector


def log_in(page: Page, username: str, password: str | None = None) -> None:
    """Type and submit once the form has settled, as a person would (typed into a form
    still being drawn, a login was once lost in CI)."""
    login_form(page)
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(
        USERS[username][0] if password is None else password)
    page.get_by_role("button", name="Login").click()


def metric(page: Page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label).locator(
        "[data-testid='stMetricValue']")


def heading(page: Page, text: str):
    return page.get_by_role("heading", name=text, exact=True)


def no_exception(page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


# --- logged out ---------------------------------------------------------------------


def test_a_logged_out_visitor_sees_only_the_login_form_on_every_url(hosted: str,
                                                                    page: Page) -> None:
    """First test of the module: /data is the very first request to a fresh server.

    On that first request Streamlit 1.67 resolves the URL against the legacy
    `pages/` folder, finds no `pages/data.py` (page files are `*_page.py` on
    purpose) and may flash a "Page not found" notice before running app.py,
    which draws the login form. What matters is tested: the login form, and no
    figure or data, on every URL.
    """
    for path in ("/data", "/", "/channels?rep=Camille%20Martin", "/publish", "/packages",
                 "/overview"):
        page.goto(f"{hosted}{path}")
        login_form(page)
        assert "€" not in page.locator("[data-testid='stMain']").inner_text()
        if path == "/data":
            screenshot(page, "security-logged-out-data-url")


def test_a_wrong_password_is_refused(hosted: str, page: Page) -> None:
    page.goto(hosted)
    login_form(page)
    log_in(page, "alice", "not-the-password")
    expect(page.get_by_text("Username or password is incorrect.")).to_be_visible()
    login_form(page)
    assert not [c for c in page.context.cookies() if c["name"] == "kpi_browser_auth"]
    page.reload()
    login_form(page)


# --- viewer ---------------------------------------------------------------------------


def test_a_viewer_sees_the_published_figures_and_never_the_uploader(hosted: str,
                                                                   page: Page) -> None:
    page.goto(hosted)
    login_form(page)
    log_in(page, "victor")
    expect(heading(page, "Overview")).to_be_visible()
    expect(metric(page, "Won revenue")).to_have_text("€20,500")
    expect(metric(page, "Win rate")).to_have_text("66.7%")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.get_by_text("Published by Alice")).to_be_visible()
    nav = page.locator("[data-testid='stSidebarNav']")
    expect(nav.get_by_role("link", name="Channels")).to_be_visible()
    assert nav.get_by_role("link", name="Data").count() == 0
    assert nav.get_by_role("link", name="Publish").count() == 0
    screenshot(page, "security-viewer-overview")

    for path in ("/data", "/publish"):  # by URL: the default page, never the uploader
        page.goto(f"{hosted}{path}")
        expect(heading(page, "Overview")).to_be_visible()
        wait_idle(page)
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        assert page.get_by_role("button", name="Publish this data").count() == 0
        no_exception(page)
    # The login cookie was written (st.stop, not st.rerun): a reload stays logged in.
    page.reload()
    expect(metric(page, "Won revenue")).to_have_text("€20,500")


def test_a_deep_link_with_filters_survives_the_login(hosted: str, page: Page) -> None:
    page.goto(f"{hosted}/channels?rep=Camille%20Martin")
    login_form(page)
    log_in(page, "victor")
    expect(heading(page, "Channels")).to_be_visible()
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator("[data-testid='stMultiSelect']").first).to_contain_text(
        "Camille Martin")
    expect(page).to_have_url(re.compile(r"/channels\?(.*&)?rep=Camille"))
    no_exception(page)
    screenshot(page, "security-deep-link-after-login")


@pytest.mark.parametrize(("signed_with", "username", "lifetime", "logged_in"), [
    ("the key", "alice", 3600, True),
    ("another key", "alice", 3600, False),  # forged
    ("the key", "alice", -60, False),  # expired
    ("the key", "mallory", 3600, False),  # not (or no longer) in the configuration
])
def test_only_a_valid_login_cookie_signed_with_the_key_logs_in(
        hosted: str, hosted_config: Path, page: Page, signed_with: str, username: str,
        lifetime: int, logged_in: bool) -> None:
    import jwt

    config = yaml.safe_load(hosted_config.read_text())
    key = config["cookie"]["key"] if signed_with == "the key" else secrets.token_urlsafe(48)
    token = jwt.encode({"username": username, "exp_date": time.time() + lifetime}, key,
                       algorithm="HS256")
    page.context.add_cookies([{"name": config["cookie"]["name"], "value": token,
                               "url": hosted}])
    page.goto(f"{hosted}/data")
    if logged_in:  # a returning visitor: straight to the page, no form
        expect(heading(page, "Data")).to_be_visible()
        expect(page.locator("[data-testid='stSidebar']").get_by_text(
            "Signed in as Alice (manager)")).to_be_visible()
        assert page.get_by_label("Password", exact=True).count() == 0
    else:
        login_form(page)
        if username == "mallory":
            expect(page.get_by_text("This account can no longer use the app")).to_be_visible()


# --- managers --------------------------------------------------------------------------


def test_two_managers_uploading_at_once_each_see_only_their_own_figures(
        hosted: str, browser, tmp_path: Path) -> None:
    files = {"alice": tmp_path / "alice_deals.csv", "bruno": tmp_path / "bruno_deals.csv"}
    files["alice"].write_text(ALICE_FILE)
    files["bruno"].write_text(BRUNO_FILE)
    contexts = {name: browser.new_context(viewport={"width": 1400, "height": 1000},
                                          locale="en-US") for name in files}
    try:
        pages = {name: context.new_page() for name, context in contexts.items()}
        for name, page in pages.items():
            page.set_default_timeout(60_000)
            page.goto(f"{hosted}/data")
            login_form(page)
            log_in(page, name)
        for page in pages.values():
            expect(heading(page, "Data")).to_be_visible()
            expect(page.get_by_text("No data yet", exact=False)).to_be_visible()
        for name, page in pages.items():  # both uploads in flight together
            upload_exports(page, files[name])
        for name, page in pages.items():
            other = "bruno" if name == "alice" else "alice"
            expect(page.get_by_text(re.compile(rf"{name}_deals\.csv — Deals: \d rows loaded"))
                   ).to_be_visible()
            assert page.get_by_text(f"{other}_deals.csv").count() == 0
        expected = {"alice": "€33,333", "bruno": "€70,000"}
        for name, page in pages.items():  # same session: through the navigation
            page.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Overview").click()
            expect(heading(page, "Overview")).to_be_visible()
            expect(metric(page, "Won revenue")).to_have_text(expected[name])
            no_exception(page)
        screenshot(pages["bruno"], "security-second-manager-overview")
    finally:
        for context in contexts.values():
            context.close()


def test_logout_forgets_the_session_and_the_cookie(hosted: str, page: Page,
                                                   tmp_path: Path) -> None:
    page.goto(f"{hosted}/data")
    login_form(page)
    log_in(page, "alice")
    expect(heading(page, "Data")).to_be_visible()
    deals = tmp_path / "alice_deals.csv"
    deals.write_text(ALICE_FILE)
    upload_exports(page, deals)
    expect(page.get_by_text(re.compile(r"alice_deals\.csv — Deals"))).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    login_form(page)
    page.reload()
    login_form(page)  # the cookie is gone
    log_in(page, "bruno")  # the next person on this browser gets their own draft only
    expect(heading(page, "Data")).to_be_visible()
    wait_idle(page)
    assert page.get_by_text("alice_deals.csv").count() == 0


def test_a_manager_publishes_and_the_viewer_sees_it_on_the_next_load(
        hosted: str, browser, tmp_path: Path) -> None:
    """Last in the module: it changes the current snapshot."""
    manager = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    viewer = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    try:
        reader = viewer.new_page()
        reader.set_default_timeout(60_000)
        reader.goto(hosted)
        login_form(reader)
        log_in(reader, "victor")
        expect(metric(reader, "Won revenue")).to_have_text("€20,500")

        writer = manager.new_page()
        writer.set_default_timeout(60_000)
        writer.goto(f"{hosted}/data")
        login_form(writer)
        log_in(writer, "bruno")
        expect(heading(writer, "Data")).to_be_visible()
        deals = tmp_path / "bruno_deals.csv"
        deals.write_text(BRUNO_FILE)
        upload_exports(writer, deals)
        expect(writer.get_by_text(re.compile(r"bruno_deals\.csv — Deals"))).to_be_visible()
        wait_idle(writer)  # the upload's run ends (it saves the draft) before the menu click
        writer.locator("[data-testid='stSidebarNav']").get_by_role("link", name="Publish").click()
        expect(heading(writer, "Publish for leadership")).to_be_visible()
        writer.get_by_role("button", name="Publish this data").click()
        expect(writer.get_by_text(re.compile(r"^Published \("))).to_be_visible()
        wait_idle(writer)
        # Two snapshots now (Alice's, then Bruno's); Bruno's is the one viewers see.
        expect(writer.get_by_text("Bruno", exact=True)).to_be_visible()
        expect(writer.get_by_text("Viewers see this")).to_have_count(1)
        screenshot(writer, "security-publish-page")

        reader.reload()
        expect(metric(reader, "Won revenue")).to_have_text("€70,000")
        expect(reader.locator("[data-testid='stSidebar']").get_by_text(
            "Published by Bruno")).to_be_visible()
    finally:
        manager.close()
        viewer.close()


# --- a refused configuration --------------------------------------------------------------


def test_a_weak_cookie_key_does_not_start(page: Page, tmp_path: Path) -> None:
    config = write_config(tmp_path / "auth.yaml", cookie_key="change-me")
    url, process = start_app(env={"KPI_AUTH_CONFIG": str(config),
                                  "KPI_WORKSPACES_DIR": str(tmp_path / "workspaces")})
    try:
        for path in ("/data", "/"):
            page.goto(f"{url}{path}")
            # Visitors read a generic message; the reason is in the server log.
            expect(page.get_by_text("The app is not available right now", exact=False)
                   ).to_be_visible()
            wait_idle(page)
            assert page.get_by_label("Username", exact=True).count() == 0
            for selector in NO_ACCESS:
                assert page.locator(selector).count() == 0, selector
        screenshot(page, "security-weak-cookie-key")
    finally:
        stop(process)
