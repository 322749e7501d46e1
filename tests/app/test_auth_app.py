"""The login gate and the roles through the real router (AppTest on app.py).

Hosted mode comes from KPI_AUTH_CONFIG pointing at a temporary YAML file with
bcrypt hashes made here; snapshots go to a temporary KPI_WORKSPACES_DIR.

app.py is wired as docs/sharing.md ("How app.py uses it") describes.

Two AppTest details (see tests/app/test_pages.py): pages are callables, so a
URL is requested by its page hash; and Streamlit's "uses a pages/ directory"
flag is reset to False after each AppTest reset, as a live server does once a
session has run st.navigation. After a successful login the app stops (the
browser's cookie component then triggers the next run); AppTest has no
browser, so the tests run once more themselves.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest
import yaml
from streamlit.testing.v1 import AppTest
from streamlit.util import calc_hash

from kpi import auth, snapshots
from kpi.auth import EXAMPLE_COOKIE_KEY, AuthConfig
from kpi.i18n import TEXTS
from kpi.ui.auth import _ISSUED_KEY
from kpi.ui.session import _WORKSPACE_KEY
from kpi.workspace import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PASSWORDS = {"alice": "alice-password-1", "bruno": "bruno-password-2",
             "victor": "victor-password-3"}
ROLES = {"alice": "manager", "bruno": "manager", "victor": "viewer"}
DEALS = (
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "D-1,Alice Martin,won,12000,2025-01-02,2025-02-01,linkedin\n"
    "D-2,Bruno Petit,lost,500,2025-01-03,2025-02-05,website\n"
    "D-3,Alice Martin,won,8000,2025-01-04,2025-03-01,referral\n"
)
# Cost 12, the least the configuration accepts: hashed once for the module.
HASHES = {name: bcrypt.hashpw(pw.encode(), bcrypt.gensalt(rounds=12)).decode()
          for name, pw in PASSWORDS.items()}


def write_config(path: Path, cookie_key: str | None = None) -> Path:
    users = {
        name: {"name": name.title(), "email": f"{name}@example.com",
               "password": HASHES[name], "roles": [ROLES[name]]}
        for name in PASSWORDS
    }
    path.write_text(yaml.safe_dump({
        "credentials": {"usernames": users},
        "cookie": {"name": "kpi_test_auth", "key": cookie_key or secrets.token_urlsafe(48),
                   "expiry_days": 1},
    }))
    return path


@pytest.fixture
def hosted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Hosted mode on a temp config; returns the snapshots folder."""
    monkeypatch.setenv("KPI_AUTH_CONFIG", str(write_config(tmp_path / "auth.yaml")))
    root = tmp_path / "workspaces"
    monkeypatch.setenv(snapshots.ENV_VAR, str(root))
    yield root


def app(url_path: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if url_path:
        at._page_hash = calc_hash(url_path)
    return at


def title(at: AppTest) -> str:
    return at.title[0].value if at.title else ""


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def login_form_only(at: AppTest) -> None:
    """The login form and nothing of the product."""
    labels = [w.label for w in at.main.text_input]
    assert labels == ["Username", "Password"], labels
    assert [b.label for b in at.main.button] == ["Login"]
    assert not at.main.title and not at.main.metric and not at.main.get("vega_lite_chart")
    assert not at.get("file_uploader")
    assert not at.sidebar.multiselect  # no filters (rep names are data)


def log_in(at: AppTest, username: str, password: str | None = None) -> AppTest:
    at.main.text_input[0].set_value(username)
    at.main.text_input[1].set_value(PASSWORDS.get(username, "") if password is None
                                    else password)
    at.main.button[0].click().run()
    no_exception(at)
    return at


def logged_in(at: AppTest, username: str) -> AppTest:
    """Log in, then the run the cookie component triggers in a browser."""
    log_in(at, username)
    assert any("Welcome" in s.value for s in at.success), errors(at)
    return at.run()


def built_workspace() -> Workspace:
    ws = Workspace()
    ws.add_file(DEALS.encode(), "deals.csv")
    return ws


# --- local mode ------------------------------------------------------------------------


def test_local_mode_has_no_login_and_says_so(monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    monkeypatch.delenv("KPI_AUTH_CONFIG", raising=False)
    monkeypatch.setenv(snapshots.ENV_VAR, str(tmp_path))
    at = app().run()
    no_exception(at)
    assert not at.main.text_input  # no login form
    assert title(at) == TEXTS["overview.title"]["en"]
    assert any("Local mode" in c.value for c in at.sidebar.caption)


# --- the gate ---------------------------------------------------------------------------


@pytest.mark.parametrize("url_path", [None, "overview", "data", "channels", "publish"])
def test_logged_out_every_url_shows_only_the_login_form(hosted: Path, url_path: str | None
                                                       ) -> None:
    at = app(url_path, rep="Alice Martin").run()
    no_exception(at)
    login_form_only(at)


def test_french_login_form_has_french_labels(hosted: Path) -> None:
    at = app(lang="Français").run()
    assert [w.label for w in at.main.text_input] == ["Identifiant", "Mot de passe"]
    assert [b.label for b in at.main.button] == ["Se connecter"]


def test_wrong_password_is_refused(hosted: Path) -> None:
    at = log_in(app().run(), "alice", "not-her-password")
    assert "Username or password is incorrect." in errors(at)
    login_form_only(at)
    at.run()  # in a browser, the cookie component's first report may rerun right away
    login_form_only(at)  # still logged out on the next run
    assert "Username or password is incorrect." in errors(at)  # and still told why


def test_unknown_user_is_refused(hosted: Path) -> None:
    at = log_in(app().run(), "mallory", "whatever-password")
    assert "Username or password is incorrect." in errors(at)
    login_form_only(at)


@pytest.mark.parametrize("username", ["alice", "mallory"])
def test_five_failures_lock_the_username_in_every_session(hosted: Path, username: str
                                                          ) -> None:
    """Issue 11 row 5: the count is the server's, not the session's; unknown users alike."""
    for _ in range(5):  # each guess from a fresh session, as a script would
        at = log_in(app().run(), username, "wrong-password")
    assert errors(at) == "Too many failed attempts for this username: try again in 1 min."
    at = log_in(app().run(), username, PASSWORDS.get(username, "x"))  # right, too late
    assert errors(at) == "Too many failed attempts for this username: try again in 1 min."
    login_form_only(at.run())
    at = log_in(app().run(), "bruno")  # other usernames are not locked
    assert any("Welcome, Bruno" in s.value for s in at.success)


def test_a_successful_login_stops_instead_of_rerunning(hosted: Path) -> None:
    at = log_in(app().run(), "alice")
    # This run ends with the welcome message: no page drawn, no st.rerun().
    assert any("Welcome, Alice" in s.value for s in at.success)
    assert title(at) == ""
    at.run()
    assert title(at) == TEXTS["overview.title"]["en"]
    assert any("Signed in as Alice (manager)" in c.value for c in at.sidebar.caption)


def test_a_deep_link_with_filters_survives_the_login(hosted: Path) -> None:
    snapshots.publish(built_workspace(), by="alice")
    at = app("channels", rep="Alice Martin").run()
    login_form_only(at)
    logged_in(at, "victor")
    no_exception(at)
    assert title(at) == TEXTS["channels.title"]["en"]
    assert at.sidebar.multiselect(key="rep").value == ["Alice Martin"]


@pytest.mark.parametrize("key", ["changeme", "x" * 20, EXAMPLE_COOKIE_KEY,
                                 "some_signature_key" * 2])
def test_a_weak_cookie_key_refuses_to_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            key: str) -> None:
    monkeypatch.setenv("KPI_AUTH_CONFIG", str(write_config(tmp_path / "auth.yaml", key)))
    at = app("overview").run()
    no_exception(at)
    assert errors(at) == TEXTS["auth.refused"]["en"]  # nothing about the key, path or users
    assert not at.main.text_input and not at.main.title and not at.main.metric


def test_a_plain_text_password_refuses_to_start(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_config(tmp_path / "auth.yaml")
    config = yaml.safe_load(path.read_text())
    config["credentials"]["usernames"]["victor"]["password"] = "victor-password-3"
    path.write_text(yaml.safe_dump(config))
    monkeypatch.setenv("KPI_AUTH_CONFIG", str(path))
    with caplog.at_level(logging.ERROR, logger="kpi.ui.auth"):
        at = app().run()
    assert errors(at) == TEXTS["auth.refused"]["en"]  # issue 11 row 10: no path, no username
    assert "victor" not in errors(at) and str(tmp_path) not in errors(at)
    assert "'victor' is not a bcrypt hash" in caplog.text  # the reason: server log only
    assert not at.main.text_input


def test_the_secrets_section_enables_hosted_mode(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KPI_AUTH_CONFIG", raising=False)
    config = yaml.safe_load(write_config(tmp_path / "auth.yaml").read_text())
    at = app()
    at.secrets["authenticator"] = config
    at.run()
    login_form_only(at)


# --- roles --------------------------------------------------------------------------------


def test_viewer_reads_the_published_snapshot_and_has_no_data_page(hosted: Path) -> None:
    snapshots.publish(built_workspace(), by="alice", by_name="Alice")
    at = logged_in(app().run(), "victor")
    no_exception(at)
    assert title(at) == TEXTS["overview.title"]["en"]
    assert at.main.metric, "the KPI cards from the snapshot"
    assert any("Published by Alice" in c.value for c in at.sidebar.caption)
    assert at.session_state[_WORKSPACE_KEY].read_only
    # /data and /publish are not registered for a viewer: the default page opens.
    for url_path in ("data", "publish"):
        at._page_hash = calc_hash(url_path)
        at.run()
        no_exception(at)
        assert title(at) == TEXTS["overview.title"]["en"]
        assert not at.get("file_uploader")
        assert not [b for b in at.main.button if "Publish" in b.label]


def test_viewer_with_nothing_published_is_told_so(hosted: Path) -> None:
    at = logged_in(app().run(), "victor")
    no_exception(at)
    assert any("Nothing has been published yet" in i.value for i in at.main.info)
    assert not at.main.metric


def test_viewer_picks_up_a_newer_publish_on_the_next_run(hosted: Path) -> None:
    snapshots.publish(built_workspace(), by="alice")
    at = logged_in(app().run(), "victor")
    first = at.session_state[_WORKSPACE_KEY]
    bigger = built_workspace()
    bigger.add_file(DEALS.replace("D-", "E-").encode(), "more.csv")
    snapshots.publish(bigger, by="alice")
    at.run()
    no_exception(at)
    now = at.session_state[_WORKSPACE_KEY]
    assert now is not first
    assert now.row_counts()["deals"] == 6


def test_manager_gets_the_data_page_and_publishes_for_viewers(hosted: Path) -> None:
    at = logged_in(app("data").run(), "alice")
    no_exception(at)
    assert title(at) == TEXTS["data.title"]["en"]
    assert at.get("file_uploader"), "the manager's uploader"
    assert not at.session_state[_WORKSPACE_KEY].sources  # starts empty, not on demo data
    at.file_uploader(key="uploads").set_value(("deals.csv", DEALS.encode(), "text/csv")).run()
    no_exception(at)
    at._page_hash = calc_hash("publish")
    at.run()
    assert title(at) == TEXTS["publish.title"]["en"]
    at.button(key="publish-now").click().run()
    no_exception(at)
    assert any("Published" in s.value for s in at.success)
    assert snapshots.current_id(hosted) is not None

    viewer = logged_in(app().run(), "victor")
    assert viewer.session_state[_WORKSPACE_KEY].row_counts()["deals"] == 3


def test_manager_restores_an_earlier_snapshot(hosted: Path) -> None:
    first = snapshots.publish(built_workspace(), by="alice")
    snapshots.publish(built_workspace(), by="bruno")
    at = logged_in(app("publish").run(), "alice")
    assert title(at) == TEXTS["publish.title"]["en"]
    at.button(key=f"restore-{first.id}").click().run()
    no_exception(at)
    assert snapshots.current_id(hosted) == first.id


def test_two_managers_sessions_never_share_data(hosted: Path) -> None:
    alice = logged_in(app("data").run(), "alice")
    bruno = logged_in(app("data").run(), "bruno")
    alice.file_uploader(key="uploads").set_value(("a.csv", DEALS.encode(), "text/csv")).run()
    assert list(alice.session_state[_WORKSPACE_KEY].sources) == ["a.csv"]
    assert not bruno.session_state[_WORKSPACE_KEY].sources
    bruno.run()
    assert not bruno.session_state[_WORKSPACE_KEY].sources


def test_logout_clears_the_session_workspace(hosted: Path) -> None:
    at = logged_in(app("data").run(), "alice")
    at.file_uploader(key="uploads").set_value(("deals.csv", DEALS.encode(), "text/csv")).run()
    assert at.session_state[_WORKSPACE_KEY].row_counts()["deals"] == 3
    at.sidebar.button(key="kpi-logout").click().run()
    no_exception(at)
    login_form_only(at)
    assert _WORKSPACE_KEY not in at.session_state  # dropped (their draft stays theirs)
    # The next person on this browser session starts from nothing.
    logged_in(at, "bruno")
    assert not at.session_state[_WORKSPACE_KEY].sources


def test_a_user_removed_from_the_configuration_is_logged_out(hosted: Path,
                                                             monkeypatch) -> None:
    at = logged_in(app().run(), "bruno")
    assert title(at) == TEXTS["overview.title"]["en"]
    path = Path(__import__("os").environ["KPI_AUTH_CONFIG"])
    config = yaml.safe_load(path.read_text())
    del config["credentials"]["usernames"]["bruno"]
    path.write_text(yaml.safe_dump(config))
    at.run()
    no_exception(at)
    login_form_only(at)


# --- issue 11 row 4: a logout is kept on the server -------------------------------------


def _config() -> AuthConfig:
    return auth.load()


def test_the_cookie_written_at_login_is_refused_after_logout(hosted: Path) -> None:
    at = logged_in(app().run(), "alice")
    token = at.session_state[_ISSUED_KEY]
    state = auth.LoginState(auth.state_path())
    assert state.check_token(_config(), token).user.username == "alice"
    at.sidebar.button(key="kpi-logout").click().run()
    login_form_only(at)
    assert state.check_token(_config(), token) == auth.TokenCheck()  # replayed: nobody


def test_users_revoke_ends_open_sessions_on_their_next_run(hosted: Path) -> None:
    at = logged_in(app().run(), "alice")
    bruno = logged_in(app().run(), "bruno")
    assert title(at) == TEXTS["overview.title"]["en"]
    auth.LoginState(auth.state_path()).revoke("alice")
    at.run()
    no_exception(at)
    login_form_only(at)
    bruno.run()
    assert title(bruno) == TEXTS["overview.title"]["en"]
    assert title(logged_in(at, "alice")) == TEXTS["overview.title"]["en"]  # may log in again


# --- issue 11 row 10: two managers publishing at once -----------------------------------


def test_the_manager_whose_page_was_out_of_date_is_told_and_publishes_nothing(
        hosted: Path) -> None:
    at = logged_in(app("data").run(), "alice")
    at.file_uploader(key="uploads").set_value(("deals.csv", DEALS.encode(), "text/csv")).run()
    at._page_hash = calc_hash("publish")
    at.run()  # Alice's page shows: nothing published yet
    bruno = snapshots.publish(built_workspace(), by="bruno", by_name="Bruno Petit")
    at.button(key="publish-now").click().run()
    no_exception(at)
    assert any(w.value.startswith("Not published: Bruno Petit published the snapshot of")
               for w in at.warning), [w.value for w in at.warning]
    assert not at.success
    assert snapshots.current_id(hosted) == bruno.id
    at.button(key="publish-now").click().run()  # she has seen it now: publishing replaces it
    assert any("Published" in s.value for s in at.success)
    assert snapshots.current_id(hosted) != bruno.id
