"""The login gate and the roles, for app.py (docs/sharing.md, "How app.py uses it").

Local mode (no login configuration): one user, no login, demo data, a discreet
banner. Hosted mode (KPI_AUTH_CONFIG or `[authenticator]` in the secrets):
streamlit-authenticator's login form until the visitor logs in, its password
and cookie checks replaced by `kpi.auth.LoginState`'s (lockouts per username
shared by every session, logged-out and revoked cookies refused); a refused
configuration stops the app with a generic message (the reason goes to the
server log, never to visitors).

- `session_user(lang)` before st.navigation (draws nothing): who this session
  is (logged in by an earlier run, or by its login cookie), to choose the
  pages to register.
- `gate(lang, registered_for)` after st.navigation -> the `User`, or None
  while logged out (app.py then calls st.stop(), before page.run()).
- `may_open(user, url_path)`: managers get every page; viewers never get the
  Data or Publish page (they are not even registered for them).
- `workspace_for(user, lang)`: the manager's own session workspace; for a
  viewer, the current published snapshot, read-only, reloaded when a newer one
  is published.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import logging
import math
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import streamlit as st

from kpi import auth, snapshots
from kpi.auth import LOCAL_USER, AuthConfig, AuthConfigError, User
from kpi.i18n import format_date, t
from kpi.ui import session
from kpi.workspace import Workspace

MANAGER_ONLY_PAGES = frozenset({"data", "publish"})
HOSTED_ONLY_PAGES = frozenset({"publish"})

_ISSUED_KEY = "_kpi_issued_cookie"  # the login cookie this session wrote (denied at logout)
_LOGGED_IN_AT_KEY = "_kpi_logged_in_at"  # a later `users revoke` ends this session
_OWNER_KEY = "_kpi_workspace_owner"
_SNAPSHOT_KEY = "_kpi_snapshot_id"
_REFUSED_KEY = "_kpi_cookie_refused"  # a remembered login was refused in this session
_LOGIN_FORM_KEY = "login"
_ATTEMPT_KEY = "_kpi_login_attempt"  # the last login attempt's outcome (a failure stays said)
_LOGOUT_KEY = "kpi-logout"  # not "logout": streamlit-authenticator uses that state key

# Survive a logout: the language, the (just replaced) workspace, and
# streamlit-authenticator's keys, among them its `logout` flag that ignores the
# session's (now denied) cookie, and its cookie component's keys.
_KEPT_ON_LOGOUT = frozenset({
    "lang", session._WORKSPACE_KEY, _LOGOUT_KEY,
    "logout", "authentication_status", "name", "username", "email", "roles",
    "init", "set", "delete",
})

log = logging.getLogger(__name__)


# --- configuration -----------------------------------------------------------------


def _secrets_section(name: str = auth.SECRETS_SECTION) -> Any:
    """`[authenticator]` (or the table `name`) from st.secrets; None when absent; refused
    when unreadable."""
    try:
        secrets = st.secrets.to_dict()
    except FileNotFoundError:  # no secrets file, or one Streamlit could not parse
        paths = [Path(p) for p in st.get_option("secrets.files") or []]
        unreadable = [p for p in paths if p.is_file()]
        if unreadable:
            raise AuthConfigError(
                f"The secrets file {unreadable[0]} cannot be parsed as TOML, so the login "
                "configuration cannot be checked.") from None
        return None
    return secrets.get(name)


def load_config(lang: str) -> AuthConfig | None:
    """The validated configuration (None = local mode); a refusal stops the app here."""
    try:
        return auth.load(secrets_section=_secrets_section())
    except AuthConfigError as exc:
        _stop_refused(exc, lang)


def _stop_refused(exc: AuthConfigError, lang: str) -> NoReturn:
    """Stop the app on a generic message; the reason goes to the server log only.

    The reason names the file, its path and usernames: never shown to visitors.
    One hidden placeholder page: no page of the app is registered, and
    Streamlit stops listing the legacy pages/ scripts in the sidebar.
    """
    log.error("hosted mode refused: %s", exc)
    st.navigation([st.Page(_refused, title="Sales KPI Explorer", default=True)],
                  position="hidden")
    st.error(t("auth.refused", lang), icon=":material/gpp_bad:")
    st.stop()


def _refused() -> None:
    """The placeholder page of a refused configuration (never run: the app stops first)."""


# --- the gate -----------------------------------------------------------------------


def _login_state() -> auth.LoginState:
    return auth.LoginState(auth.state_path())


def _login_fields(lang: str) -> dict[str, str]:
    return {"Form name": t("auth.form", lang), "Username": t("auth.username", lang),
            "Password": t("auth.password", lang), "Login": t("auth.login", lang)}


def _authenticator(config: AuthConfig, attempts: list[auth.LoginResult]) -> Any:
    """streamlit-authenticator's object, with kpi.auth's checks in its three hooks.

    It draws the login form, keeps its session keys and sets and deletes the
    cookie (it draws its cookie component when created). streamlit-authenticator
    0.4.2 (pinned) counts failures in this session only, checks bcrypt only
    for known usernames, accepts any well-signed cookie until it expires and
    writes it without `Secure`; so its password check is
    `LoginState.attempt` (each outcome appended to `attempts`), its cookie
    read `LoginState.check_token` and its cookie write `_write_cookie`. Its
    pause before each logged-out run (0.7 s, for its component) is not needed:
    the cookie is read from the request.
    """
    import streamlit_authenticator as stauth

    authenticator = stauth.Authenticate(
        copy.deepcopy(config.credentials), config.cookie_name, config.cookie_key,
        config.cookie_expiry_days, auto_hash=False, login_sleep_time=0)
    model = authenticator.authentication_controller.authentication_model
    model.check_credentials = functools.partial(_check_password, config, attempts)
    cookies = authenticator.cookie_controller.cookie_model
    cookies.get_cookie = functools.partial(_accepted_cookie, config)
    cookies.set_cookie = functools.partial(_write_cookie, config, cookies.cookie_manager)
    return authenticator


def _check_password(config: AuthConfig, attempts: list[auth.LoginResult], username: str,
                    password: str) -> bool:
    """The form's password check: lockout first, the same bcrypt work for unknown names.

    The outcome is kept in the session: the cookie component's first report
    reruns the app, maybe right after a submit, and the message must stay.
    """
    result = _login_state().attempt(config, username, password)
    attempts.append(result)
    st.session_state[_ATTEMPT_KEY] = result
    return result.user is not None


def _cookie_check(config: AuthConfig) -> auth.TokenCheck:
    """What this session's login cookie is worth (nothing once logged out in this session).

    `LoginState.check_token`: signature, expiry, types, and neither denied at a
    logout nor revoked by `python -m kpi users revoke`. Anything else reads as
    no cookie: the login form shows, never an error screen.
    """
    if st.session_state.get("logout"):
        return auth.TokenCheck()
    token = st.context.cookies.get(config.cookie_name) if st.context.cookies else None
    return _login_state().check_token(config, token) if token else auth.TokenCheck()


def _accepted_cookie(config: AuthConfig) -> dict[str, str] | None:
    """streamlit-authenticator's cookie read: the claims it uses, only for an accepted cookie."""
    user = _cookie_check(config).user
    return {"username": user.username} if user else None


def _write_cookie(config: AuthConfig, manager: Any) -> None:
    """streamlit-authenticator's cookie write, after a login by the form.

    `auth.issue_token` (with `issued_at`, which `users revoke` compares),
    `Secure` as `_secure` says, `SameSite=Strict` (the component's default).
    The token is kept in the session to be denied at logout.
    """
    if config.cookie_expiry_days == 0:
        return
    token = auth.issue_token(config, st.session_state["username"])
    st.session_state[_ISSUED_KEY] = token
    manager.set(config.cookie_name, token, secure=_secure(config),
                expires_at=datetime.now() + timedelta(days=config.cookie_expiry_days))


def _secure(config: AuthConfig) -> bool:
    """`cookie.secure` when set, else whether the browser reached the app over HTTPS."""
    if config.cookie_secure is not None:
        return config.cookie_secure
    return str(st.context.url or "").startswith("https://")


def _sign_in(config: AuthConfig, user: User) -> None:
    """Mark this session as `user`'s from now on (the keys streamlit-authenticator reads)."""
    entry = config.credentials["usernames"][user.username]
    st.session_state.update({"authentication_status": True, "username": user.username,
                             "name": user.name, "email": entry.get("email"),
                             "roles": entry.get("roles"), "logout": None,
                             _LOGGED_IN_AT_KEY: time.time()})


def _forget_session() -> None:
    """Logout: the next person on this browser session starts from nothing.

    Every key goes (the uploader's files, filters, page state) except the
    language and the login keys (_KEPT_ON_LOGOUT). Logged-out runs end with
    st.stop(), after which Streamlit does not drop the state of widgets that
    were not drawn: without this, the Data page's uploader would hand the
    previous user's files to the next one. Their draft stays on disk, theirs.
    """
    session.forget_workspace()
    for key in list(st.session_state.keys()):
        if key not in _KEPT_ON_LOGOUT:
            del st.session_state[key]


def _remembered_user(config: AuthConfig) -> User | None:
    """Log this session in from its login cookie, drawing nothing.

    The same check as streamlit-authenticator's cookie read (`_cookie_check`),
    done here because the library reads the cookie only inside an object that
    draws its cookie component, whose first report reruns the app. Drawing
    nothing lets a remembered user's first run register their own pages and
    draw the page at once, with no extra rerun (a rerun that starts while the
    page's queries run would use the session's DuckDB connection from two
    threads).
    """
    check = _cookie_check(config)
    if check.removed:  # removed from the configuration: the login form says so
        st.session_state[_REFUSED_KEY] = True
    if check.user is not None:
        _sign_in(config, check.user)
    return check.user


def _revoked_since_login(user: User) -> bool:
    """Whether `python -m kpi users revoke` logged this user out after this session logged in."""
    return _login_state().revoked_at(user.username) > st.session_state.get(_LOGGED_IN_AT_KEY, 0)


def session_user(lang: str) -> User | None:
    """Who this session is: logged in by an earlier run, or by its login cookie.

    Draws nothing. Call it before st.navigation to choose the pages to register
    (the login form comes after: its cookie component's first report reruns
    the app, and that rerun keeps a deep link's page only if st.navigation has
    already told the browser which page this is). Local mode: the local user.
    An unsafe login configuration stops the app here (with the reason).
    """
    config = load_config(lang)
    if config is None:
        return LOCAL_USER
    with _state_refusal(lang):
        if st.session_state.get("authentication_status"):
            user = config.user(st.session_state.get("username"))
            # None when removed or logged out everywhere since: `gate` logs this session out.
            return None if user is None or _revoked_since_login(user) else user
        return _remembered_user(config)


def gate(lang: str, registered_for: User | None, reads_source: bool = False) -> User | None:
    """The current user; None while logged out (the login form is then on screen).

    `registered_for` is what `session_user` returned before st.navigation in
    this run. Local mode returns the one local user (a manager) and shows a
    discreet banner (which says where the data comes from: this browser's uploads,
    or the warehouse when `reads_source`). Hosted mode: the signed-in box and Log out button in the
    sidebar, or streamlit-authenticator's login form. After a login by the
    form the run stops: the component that writes the login cookie, drawn in
    this run, must reach the browser (st.rerun() would drop it,
    docs/sharing.md); its report reruns the app.
    """
    config = load_config(lang)
    if config is None:
        note = "auth.local_mode_source" if reads_source else "auth.local_mode"
        st.sidebar.caption(t(note, lang), help=t("auth.local_mode_help", lang))
        return LOCAL_USER

    with _state_refusal(lang):
        if st.session_state.get("authentication_status"):
            user = config.user(st.session_state.get("username"))
            if user is not None and registered_for is not None:  # else removed or revoked
                role = t(f"auth.role.{user.role}", lang)
                st.sidebar.caption(t("auth.signed_in_as", lang, name=user.name, role=role),
                                   help=t("auth.role_help." + user.role, lang))
                if not st.sidebar.button(t("auth.logout", lang), key=_LOGOUT_KEY):
                    if user != registered_for:  # e.g. a role changed: register its pages
                        st.rerun()
                    return user
            _log_out(config)  # the button, or a user removed or revoked
        if st.session_state.get(_REFUSED_KEY):
            st.error(t("auth.not_authorised", lang), icon=":material/block:")
        attempts: list[auth.LoginResult] = []
        _authenticator(config, attempts).login(location="main", fields=_login_fields(lang),
                                               key=_LOGIN_FORM_KEY)
    _attempt_message(lang)
    user = (config.user(st.session_state.get("username"))
            if st.session_state.get("authentication_status") else None)
    if user is None:
        return None
    _sign_in(config, user)
    if not attempts or config.cookie_expiry_days == 0:
        st.rerun()  # no cookie written in this run: draw this user's pages now
    # Logged in by the form just now: stop so the cookie component reaches the
    # browser; it reports back once the cookie is set, which reruns the app.
    st.success(t("auth.welcome", lang, name=user.name), icon=":material/check_circle:")
    st.stop()


def _attempt_message(lang: str) -> None:
    """Why the last login failed, until the next one (the library's status stays False).

    One message for a wrong password or an unknown username, another (the
    wait) for a locked username, known or not.
    """
    result = st.session_state.get(_ATTEMPT_KEY)
    if st.session_state.get("authentication_status") is not False or result is None:
        return
    if result.locked_for:
        st.error(t("auth.locked", lang, minutes=math.ceil(result.locked_for / 60)),
                 icon=":material/lock:")
    else:
        st.error(t("auth.wrong", lang), icon=":material/error:")


def _log_out(config: AuthConfig) -> NoReturn:
    """Refuse this session's login cookies from now on (on every server), forget all, rerun.

    streamlit-authenticator's logout clears its keys, sets its `logout` flag
    (this session ignores the cookie from now on) and draws the component that
    deletes the cookie; the rerun may drop that component before it runs, so
    the browser may keep the cookie: the server refuses it. The rerun draws
    the login form with no page registered for the user.
    """
    state = _login_state()
    for token in {st.context.cookies.get(config.cookie_name) if st.context.cookies else None,
                  st.session_state.get(_ISSUED_KEY)}:
        if token:
            state.deny(config, token)
    _authenticator(config, []).logout(location="unrendered")
    _forget_session()
    st.rerun()


@contextlib.contextmanager
def _state_refusal(lang: str) -> Iterator[None]:
    """An unreadable login state stops the app like a refused configuration."""
    try:
        yield
    except AuthConfigError as exc:
        _stop_refused(exc, lang)


# --- roles ----------------------------------------------------------------------------


def may_open(user: User | None, url_path: str) -> bool:
    """Whether to register the page at `url_path` for this user.

    Logged out (None): every page, so a deep link keeps its page through the
    login (nothing is drawn: app.py stops before page.run()). Viewers: never the
    Data or Publish page. Local mode: no Publish page.
    """
    if user is None:
        return True
    if url_path in HOSTED_ONLY_PAGES and user.local:
        return False
    return not (url_path in MANAGER_ONLY_PAGES and not user.is_manager)


def can_publish(user: User | None) -> bool:
    return user is not None and user.is_manager and not user.local


# --- the session's workspace per role -------------------------------------------------------


def workspace_for(user: User, lang: str) -> Workspace:
    """The workspace this user's pages read.

    Local user: this browser's draft, else the demo data. Manager: their own
    draft, else an empty workspace (their uploads, never shared until
    published). Drafts: kpi.ui.session. Viewer: the current published snapshot, read-only; a newer
    publish is picked up on the next run. With nothing published, a viewer sees
    a message and the run stops.
    """
    owner = (user.username, user.role)
    previous = st.session_state.get(_OWNER_KEY)
    if previous is not None and tuple(previous) != owner:
        session.forget_workspace()  # another user or role on this session
        st.session_state.pop(_SNAPSHOT_KEY, None)
    st.session_state[_OWNER_KEY] = owner
    if user.is_manager:
        workspace = session.workspace(load_demo=user.local, draft=session.draft_key(user))
        if workspace.read_only:  # was a viewer's snapshot (role changed)
            workspace = Workspace()
            session.replace_workspace(workspace)
        return workspace
    return _viewer_workspace(lang)


def _viewer_workspace(lang: str) -> Workspace:
    held = st.session_state.get(_SNAPSHOT_KEY)
    current = snapshots.current_id()
    if current is None:
        st.info(t("share.nothing_published", lang), icon=":material/hourglass_empty:")
        st.stop()
    if current != held:
        try:
            opened = snapshots.open_snapshot(current)
        except snapshots.SnapshotError:
            log.exception("cannot open snapshot %s", current)
            if held is None:
                st.error(t("share.open_failed", lang), icon=":material/error:")
                st.stop()
            st.warning(t("share.open_failed", lang), icon=":material/warning:")
        else:
            session.replace_workspace(opened)
            st.session_state[_SNAPSHOT_KEY] = current
    info = snapshots.describe(st.session_state[_SNAPSHOT_KEY])
    if info is not None:
        st.sidebar.caption(t("share.viewing", lang, name=info.published_by_name,
                             when=published_label(info.published_at, lang)),
                           help=t("share.viewing_help", lang))
    return session.workspace(load_demo=False)


def published_label(iso: str, lang: str) -> str:
    """'Mar 1, 2025 14:05 UTC' / '1 mars 2025 14:05 UTC'."""
    if len(iso) < 16:
        return iso
    return f"{format_date(iso[:10], lang)} {iso[11:16]} UTC"
