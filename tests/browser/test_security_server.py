"""Hosted mode over raw HTTP: what Streamlit's own endpoints serve, and to whom.

`streamlit run serve.py` (app.py behind kpi/ui/server.py's guard) in hosted
mode. A browser opens the login form, which is a Streamlit session: its id
and XSRF cookie are all that Streamlit itself asks of an upload. Everything
else is plain HTTP from the test, with or without a login cookie signed as
streamlit-authenticator signs it.
"""

from __future__ import annotations

import re
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import bcrypt
import jwt
import pytest
import yaml
from playwright.sync_api import Page, expect

from kpi.settings import Settings
from tests.browser.helpers import screenshot, start_app, upload_exports, wait_idle
from tests.browser.test_security import log_in, stop

COOKIE = "kpi_server_auth"
USERS = {"alice": "manager", "bruno": "manager", "victor": "viewer"}  # password: name × 3


def write_config(path: Path, key: str) -> Path:
    """A login configuration as `kpi users add` writes it (bcrypt cost 12)."""
    users = {name: {"name": name.title(), "email": f"{name}@example.com", "roles": [role],
                    "password": bcrypt.hashpw((name * 3).encode(),
                                              bcrypt.gensalt(rounds=12)).decode()}
             for name, role in USERS.items()}
    path.write_text(yaml.safe_dump({"credentials": {"usernames": users},
                                    "cookie": {"name": COOKIE, "expiry_days": 1, "key": key}}))
    return path


class Server(NamedTuple):
    url: str
    key: str  # the cookie key
    config: Path
    workspaces: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A hosted server started through serve.py."""
    folder = tmp_path_factory.mktemp("security-server")
    key = secrets.token_urlsafe(48)
    config = write_config(folder / "auth.yaml", key)
    url, process = start_app(env={"KPI_AUTH_CONFIG": str(config),
                                  "KPI_WORKSPACES_DIR": str(folder / "workspaces")},
                             script="serve.py")
    yield Server(url, key, config, folder / "workspaces")
    stop(process)


def login_cookie(key: str, username: str) -> str:
    """A login cookie as streamlit-authenticator writes it after a login."""
    token = jwt.encode({"username": username, "exp_date": time.time() + 3600}, key,
                       algorithm="HS256")
    return f"{COOKIE}={token}"


def request(url: str, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """(status, headers) of one raw HTTP request."""
    call = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(call, timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def login_form_session(page: Page, url: str) -> tuple[str, str]:
    """(session id, XSRF token) of a logged-out browser showing the login form."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ids: list[str] = []

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if message.WhichOneof("type") == "new_session":
                ids.append(message.new_session.initialize.session_id)

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    page.goto(url)
    wait_idle(page)
    page.get_by_label("Username", exact=True).wait_for()
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    assert ids, "no session was announced on the websocket"
    return ids[-1], xsrf


def put_file(url: str, session: str, xsrf: str, name: str, cookie: str = "",
             declared: int | None = None) -> int:
    """PUT one small file to Streamlit's upload endpoint as its uploader does; the status.

    `declared` replaces the Content-Length the request announces.
    """
    boundary = secrets.token_hex(8)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    body += b"x" * 100 + f"\r\n--{boundary}--\r\n".encode()
    cookies = "; ".join(c for c in (f"_streamlit_xsrf={xsrf}", cookie) if c)
    status, _ = request(f"{url}/_stcore/upload_file/{session}/{secrets.token_hex(8)}", "PUT",
                        body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                               "X-Xsrftoken": xsrf, "Cookie": cookies,
                               **({"Content-Length": str(declared)} if declared else {})})
    return status


def test_every_response_forbids_framing_by_other_sites(server: Server) -> None:
    url = server.url
    for path in ("/", "/overview", "/_stcore/health"):
        status, headers = request(url + path)
        assert status == 200, path
        assert headers.get("x-frame-options") == "SAMEORIGIN", path
        assert "frame-ancestors 'self'" in headers.get("content-security-policy", ""), path
        assert headers.get("x-content-type-options") == "nosniff", path


def test_metrics_are_for_managers_only(server: Server) -> None:
    url, key = server.url, server.key
    assert request(f"{url}/_stcore/metrics")[0] == 403
    assert request(f"{url}/_stcore/metrics",
                   headers={"Cookie": login_cookie(key, "victor")})[0] == 403
    assert request(f"{url}/_stcore/metrics",
                   headers={"Cookie": login_cookie(key, "alice")})[0] == 200


def test_media_needs_a_login(server: Server) -> None:
    url, key = server.url, server.key
    assert request(f"{url}/media/0123456789abcdef.csv")[0] == 403
    forged = login_cookie("another-key-" + secrets.token_urlsafe(40), "alice")
    assert request(f"{url}/media/0123456789abcdef.csv", headers={"Cookie": forged})[0] == 403
    # Logged in, the request reaches Streamlit, which does not know that file.
    assert request(f"{url}/media/0123456789abcdef.csv",
                   headers={"Cookie": login_cookie(key, "victor")})[0] == 404


def test_a_login_form_session_cannot_upload(server: Server, page: Page) -> None:
    url, key = server.url, server.key
    session, xsrf = login_form_session(page, url)
    assert put_file(url, session, xsrf, "anonymous.csv") == 403
    assert put_file(url, session, xsrf, "viewer.csv", login_cookie(key, "victor")) == 403
    # The same request with a manager's cookie is what Streamlit accepts.
    assert put_file(url, session, xsrf, "manager.csv", login_cookie(key, "alice")) == 204


def test_a_cookie_denied_at_logout_no_longer_uploads(server: Server, page: Page) -> None:
    """The guard checks a cookie as the login does: a logged-out cookie is refused."""
    from kpi import auth

    session, xsrf = login_form_session(page, server.url)
    cookie = login_cookie(server.key, "alice")
    assert put_file(server.url, session, xsrf, "before.csv", cookie) == 204
    config = auth.validate(yaml.safe_load(server.config.read_text()), "test")
    where = Settings(workspaces_dir=server.workspaces, auth_state=None)
    state = auth.LoginState(auth.state_path(where))
    state.deny(config, cookie.split("=", 1)[1])
    assert put_file(server.url, session, xsrf, "after.csv", cookie) == 403
    assert request(f"{server.url}/media/0123456789abcdef.csv", headers={"Cookie": cookie}
                   )[0] == 403


def test_a_managers_live_uploads_are_bounded_in_count(server: Server,
                                                      page: Page) -> None:
    from kpi.ui.server import MAX_UPLOADS_PER_USER

    url, key = server.url, server.key
    session, xsrf = login_form_session(page, url)
    bruno = login_cookie(key, "bruno")
    statuses = [put_file(url, session, xsrf, f"f{i}.csv", bruno)
                for i in range(MAX_UPLOADS_PER_USER + 1)]
    assert statuses == [204] * MAX_UPLOADS_PER_USER + [429]


def test_a_managers_live_uploads_are_bounded_in_bytes(server: Server,
                                                      page: Page) -> None:
    """A file announcing more than what is left is refused before its body is read."""
    from kpi.ui.server import MAX_UPLOAD_BYTES_PER_USER

    url, key = server.url, server.key
    session, xsrf = login_form_session(page, url)
    alice = login_cookie(key, "alice")
    assert put_file(url, session, xsrf, "small.csv", alice) == 204
    assert put_file(url, session, xsrf, "huge.csv", alice,
                    declared=MAX_UPLOAD_BYTES_PER_USER) == 429


# A workbook whose sheet name and rep names are things Markdown would link,
# and a rep name that is a formula.
HOSTILE_ROWS = [
    ["deal_id", "owner", "channel", "status", "amount", "created_at", "closed_at"],
    ["L1", "www.evil.example", "LinkedIn", "won", 1000, "2025-03-01", "2025-03-11"],
    ["L2", "https://evil.example/pay", "Referral", "open", 500, "2025-03-02", ""],
    ["L3", '=HYPERLINK("https://evil.example","Invoice")', "Referral", "won", 700,
     "2025-03-03", "2025-03-20"],
    ["L4", "ann@evil.example", "Referral", "won", 300, "2025-03-04", "2025-03-21"],
]
SHEET = "www.evil.example"


def _hostile_workbook(path: Path) -> Path:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet(SHEET)
    for index, row in enumerate(HOSTILE_ROWS):
        sheet.write_row(index, 0, row, workbook.add_format() if index else None)
        if index:  # the formula as text, as a CRM export holds it
            sheet.write_string(index, 1, row[1])
    workbook.close()
    return path


def shown(text: str, end: str = "") -> re.Pattern[str]:
    """`text` as shown: escape() may put an invisible word joiner between characters."""
    return re.compile("\u2060?".join(map(re.escape, text)) + end)


def _no_link_to_evil(page: Page) -> None:
    links = page.locator("a[href*='evil'], img[src*='evil']")
    assert links.count() == 0, links.evaluate_all("(nodes) => nodes.map((n) => n.outerHTML)")


def test_names_from_a_file_never_become_links_and_tables_offer_no_toolbar_csv(
        server: Server, page: Page, tmp_path: Path) -> None:
    """Through serve.py, logged in by the form: the upload carries the login cookie."""
    url = server.url
    page.goto(url)  # not a deep link: a fresh server's first one shows "Page not found"
    log_in(page, "alice", "alice" * 3)
    nav = page.locator("[data-testid='stSidebarNav']")
    nav.get_by_role("link", name="Data").click(timeout=30_000)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    upload_exports(page, _hostile_workbook(tmp_path / "www.evil.example.xlsx"))
    report = page.get_by_test_id("stExpander").filter(
        has_text=shown("www.evil.example.xlsx — Deals: 4 rows loaded"))
    report.locator("summary").click()
    wait_idle(page)
    expect(report.get_by_role("cell", name=shown(SHEET, "$"))).to_be_visible()  # as text
    screenshot(page, "security-server-data-page")
    _no_link_to_evil(page)

    nav.get_by_role("link", name="Overview").click()
    wait_idle(page)
    # The open pipeline's rows, by rep: the formula is shown as a rep's name.
    panel = page.get_by_test_id("stExpander").filter(
        has=page.locator(".st-key-download-overview-reps"))
    panel.locator("summary").click()
    wait_idle(page)
    grid = panel.get_by_test_id("stDataFrame")
    expect(grid.locator("td").filter(has_text="=HYPERLINK(")).to_be_attached()
    grid.hover()
    # The toolbar shows (search), without the browser-built CSV: its values
    # are the displayed ones, unneutralised. The app's own download stays.
    expect(grid.get_by_role("button", name="Search")).to_be_visible()
    assert grid.get_by_role("button", name=re.compile("Download", re.I)).count() == 0
    screenshot(page, "security-server-overview-rows")
    _no_link_to_evil(page)
    # The app's own download: served from /media/ to the logged-in browser
    # (its login cookie passes the guard), the formula neutralised.
    with page.expect_download() as download:
        panel.get_by_test_id("stDownloadButton").get_by_role("button").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in text and "\n=HYPERLINK(" not in text
