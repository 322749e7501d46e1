"""Issue 11, rows 4, 5, 8, 9 and 10 (login side) against a real `streamlit run`.

Each test is what an attacker did: replay a cookie after logout, guess
passwords from fresh sessions, forge cookies, read a refused configuration.
Every fresh browser context is a new websocket session carrying only the
cookies given to it. The server runs on a temporary KPI_AUTH_CONFIG (bcrypt
cost 12, `cookie.secure: true`) and KPI_WORKSPACES_DIR (where the login state
lives, beside the snapshots).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import jwt
import pytest
import yaml
from playwright.sync_api import Browser, Expect, Page

from tests.browser import test_security as security
from tests.browser.helpers import (
    ROOT,
    screenshot,
    server_output,
    start_app,
    upload_exports,
    wait_idle,
)
from tests.browser.test_security import login_form, no_exception, stop

expect = Expect()
expect.set_options(timeout=30_000)  # a login waits for the cookie component's rerun

USERS = {  # username: (password, role); one user per test, so lockouts stay apart
    "alice": ("alice-password-1", "manager"),
    "bruno": ("bruno-password-2", "manager"),
    "carla": ("carla-password-3", "viewer"),
}
COOKIE = "kpi_login_test"
LOCKED = "Too many failed attempts for this username: try again in 1 min."


def write_config(path: Path, cookie_key: str | None = None) -> Path:
    users = {name: {"name": name.title(), "roles": [role],
                    "password": bcrypt.hashpw(pw.encode(), bcrypt.gensalt(12)).decode()}
             for name, (pw, role) in USERS.items()}
    path.write_text(yaml.safe_dump({
        "credentials": {"usernames": users},
        "cookie": {"name": COOKIE, "expiry_days": 1, "secure": True,
                   "key": cookie_key or secrets.token_urlsafe(48)},
    }))
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, Path]]:
    """(url, config, workspaces folder) of one hosted server for the module."""
    folder = tmp_path_factory.mktemp("login")
    config, root = write_config(folder / "auth.yaml"), folder / "workspaces"
    url, process = start_app(env={"KPI_AUTH_CONFIG": str(config),
                                  "KPI_WORKSPACES_DIR": str(root)})
    yield url, config, root
    stop(process)


def fresh(browser: Browser) -> Page:
    """A new browser (context): no cookie, a new session."""
    page = browser.new_context(viewport={"width": 1200, "height": 800}).new_page()
    page.set_default_timeout(60_000)
    return page


def log_in(page: Page, username: str, password: str | None = None) -> None:
    """test_security's login, with this module's users."""
    security.log_in(page, username, USERS[username][0] if password is None else password)


def signed_in(page: Page, username: str) -> None:
    expect(page.locator("[data-testid='stSidebar']").get_by_text(
        f"Signed in as {username.title()}")).to_be_visible()


def login_cookie(page: Page) -> dict:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # written by the cookie component after the login
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        page.wait_for_timeout(100)  # polling a condition
    raise AssertionError("no login cookie was written")


def with_cookie(browser: Browser, url: str, value: str) -> Page:
    """Another browser that only has this login cookie (a replay, a forgery)."""
    page = fresh(browser)
    page.context.add_cookies([{"name": COOKIE, "value": value, "url": url}])
    page.goto(url)
    return page


# --- row 4: a logout holds on the server --------------------------------------------------


def test_a_cookie_replayed_after_logout_shows_the_login_form(server, browser: Browser) -> None:
    url, _, _ = server
    page = fresh(browser)
    page.goto(url)
    log_in(page, "alice")
    signed_in(page, "alice")
    cookie = login_cookie(page)
    assert cookie["secure"] is True and cookie["sameSite"] == "Strict"  # row 8: cookie.secure
    replay = with_cookie(browser, url, cookie["value"])
    signed_in(replay, "alice")  # the cookie works while she is logged in
    page.get_by_role("button", name="Log out").click()
    login_form(page)
    stolen = with_cookie(browser, url, cookie["value"])
    login_form(stolen)  # replayed after the logout: nobody
    no_exception(stolen)
    replay.reload()
    login_form(replay)  # the same cookie in the other browser: refused too
    screenshot(stolen, "security-login-replayed-cookie")


def test_users_revoke_logs_a_user_out_of_every_browser(server, browser: Browser) -> None:
    url, _, root = server
    laptop = fresh(browser)
    laptop.goto(url)
    log_in(laptop, "bruno")
    signed_in(laptop, "bruno")
    phone = with_cookie(browser, url, login_cookie(laptop)["value"])
    signed_in(phone, "bruno")
    done = subprocess.run([sys.executable, "-m", "kpi", "users", "revoke", "bruno"],
                          cwd=ROOT, env={**os.environ, "KPI_WORKSPACES_DIR": str(root)},
                          capture_output=True, text=True, check=True)
    assert "bruno is logged out everywhere" in done.stdout
    for page in (laptop, phone):
        page.reload()
        login_form(page)
    log_in(phone, "bruno")  # a new login works
    signed_in(phone, "bruno")


# --- row 5: lockout per username across sessions, unknown usernames alike -------------------


@pytest.mark.parametrize("username", ["carla", "nobody-here"])
def test_five_failures_from_fresh_sessions_lock_the_username(server, browser: Browser,
                                                             username: str) -> None:
    url, _, _ = server
    for attempt in range(5):  # a script opening a new session per guess
        page = fresh(browser)
        page.goto(url)
        log_in(page, username, f"guess-{attempt}")
        expected = LOCKED if attempt == 4 else "Username or password is incorrect."
        expect(page.get_by_test_id("stAlertContentError")).to_contain_text(expected)
        page.context.close()
    page = fresh(browser)
    page.goto(url)
    log_in(page, username, USERS.get(username, ("any-password",))[0])  # right, too late
    expect(page.get_by_test_id("stAlertContentError")).to_contain_text(LOCKED)
    login_form(page)
    screenshot(page, f"security-login-locked-{username}")


# --- row 9: malformed cookies ----------------------------------------------------------------


@pytest.mark.parametrize("claims,algorithm", [
    ({"username": "alice", "exp_date": 9e9}, "HS512"),  # another algorithm
    ({"username": "alice", "exp_date": "2099-12-31"}, "HS256"),  # text exp_date
    ({"username": "alice", "exp_date": 9e9, "issued_at": [1]}, "HS256"),
])
def test_a_malformed_cookie_shows_the_login_form(server, browser: Browser, claims: dict,
                                                algorithm: str) -> None:
    url, config, _ = server
    key = yaml.safe_load(config.read_text())["cookie"]["key"]
    page = with_cookie(browser, url, jwt.encode(claims, key, algorithm=algorithm))
    login_form(page)
    no_exception(page)
    screenshot(page, f"security-login-malformed-cookie-{algorithm}")


# --- row 10: a refused configuration tells visitors nothing -----------------------------------


def test_a_refused_configuration_shows_a_generic_message(page: Page, tmp_path: Path) -> None:
    config = write_config(tmp_path / "auth.yaml", cookie_key="0123456789" * 4)
    url, process = start_app(env={"KPI_AUTH_CONFIG": str(config),
                                  "KPI_WORKSPACES_DIR": str(tmp_path / "workspaces")})
    try:
        for path in ("/data", "/"):
            page.goto(f"{url}{path}")
            expect(page.get_by_text("The app is not available right now")).to_be_visible()
            wait_idle(page)
            text = page.locator("[data-testid='stApp']").inner_text()
            for secret in (str(tmp_path), "auth.yaml", "alice", "bruno", "cookie key"):
                assert secret not in text, secret
            assert page.get_by_label("Username", exact=True).count() == 0
        screenshot(page, "security-login-refused-config")
    finally:
        stop(process)
    log = server_output(process, tail=20_000)
    assert re.search(r"hosted mode refused: .*auth\.yaml.*too repetitive", log), log[-2000:]


# --- row 10: two managers publishing at once ----------------------------------------------


def test_the_manager_who_lost_a_publish_race_is_told(server, browser: Browser,
                                                     tmp_path: Path) -> None:
    from kpi import snapshots
    from kpi.workspace import Workspace

    url, _, root = server
    deals = tmp_path / "deals.csv"
    deals.write_text("deal_id,owner,status,amount,created_at,closed_at,channel\n"
                     "A-1,Alice Martin,won,11111,2025-01-02,2025-02-01,linkedin\n")
    page = fresh(browser)
    page.goto(f"{url}/data")
    log_in(page, "alice")
    signed_in(page, "alice")
    upload_exports(page, deals)
    expect(page.get_by_text(re.compile(r"deals\.csv — Deals"))).to_be_visible()
    page.goto(f"{url}/publish")
    expect(page.get_by_role("button", name="Publish this data")).to_be_enabled()
    wait_idle(page)
    meanwhile = Workspace()  # Bruno publishes while Alice's page is open
    meanwhile.add_file(deals.read_bytes(), "bruno.csv")
    bruno = snapshots.publish(meanwhile, by="bruno", by_name="Bruno Petit", root=root)
    page.get_by_role("button", name="Publish this data").click()
    expect(page.get_by_text(re.compile(r"^Not published: Bruno Petit published"))).to_be_visible()
    assert snapshots.current_id(root) == bruno.id
    screenshot(page, "security-login-publish-conflict")
