"""The login gate and the roles, for app.py (docs/sharing.md, "How app.py uses it").

Local mode (no login configuration): one user, no login, demo data, a discreet
banner. Hosted mode (KPI_AUTH_CONFIG or `[authenticator]` in the secrets):
streamlit-authenticator's login form until the visitor logs in; a refused
configuration stops the app with the reason.

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

import copy
import logging
import os
import time
from pathlib import Path
from typing import Any

import streamlit as st

from kpi import auth, snapshots
from kpi.auth import LOCAL_USER, AuthConfig, AuthConfigError, User
from kpi.i18n import format_date, t
from kpi.ui import session
from kpi.workspace import Workspace

# streamlit-authenticator 0.4.2 counts failed attempts per username inside the
# credentials it is given and refuses further tries past `max_login_attempts`.
# Its counters live in this session (a new dict is built every run from the
# current configuration, with this session's counts put back).
MAX_LOGIN_ATTEMPTS = 5
MANAGER_ONLY_PAGES = frozenset({"data", "publish"})
HOSTED_ONLY_PAGES = frozenset({"publish"})

_USER_KEY = "_kpi_user"
_ATTEMPTS_KEY = "_kpi_failed_logins"
_OWNER_KEY = "_kpi_workspace_owner"
_SNAPSHOT_KEY = "_kpi_snapshot_id"
_REFUSED_KEY = "_kpi_cookie_refused"  # a remembered login was refused in this session
_LOGIN_FORM_KEY = "login"
_LOGOUT_KEY = "kpi-logout"  # not "logout": streamlit-authenticator uses that state key

# Survive a logout: the language, the failed-attempt counts, the (just
# replaced) workspace, and streamlit-authenticator's keys, among them its
# `logout` flag that makes it ignore the cookie until the browser has dropped it.
_KEPT_ON_LOGOUT = frozenset({
    "lang", _ATTEMPTS_KEY, session._WORKSPACE_KEY, _LOGOUT_KEY,
    "logout", "authentication_status", "name", "username", "email", "roles",
    "password_hint", "init", "set", "delete",
})

log = logging.getLogger(__name__)


# --- configuration -----------------------------------------------------------------


def _secrets_section() -> Any:
    """`[authenticator]` from st.secrets; None when absent; refused when unreadable."""
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
    return secrets.get(auth.SECRETS_SECTION)


def load_config(lang: str) -> AuthConfig | None:
    """The validated configuration (None = local mode); a refusal stops the app here."""
    try:
        return auth.load(os.environ, _secrets_section())
    except AuthConfigError as exc:
        # One hidden placeholder page: no page of the app is registered, and
        # Streamlit stops listing the legacy pages/ scripts in the sidebar.
        st.navigation([st.Page(_refused, title="Sales KPI Explorer", default=True)],
                      position="hidden")
        st.error(t("auth.refused", lang, reason=str(exc)), icon=":material/gpp_bad:")
        st.stop()


def _refused() -> None:
    """The placeholder page of a refused configuration (never run: the app stops first)."""


# --- the gate -----------------------------------------------------------------------


def _login_fields(lang: str) -> dict[str, str]:
    return {"Form name": t("auth.form", lang), "Username": t("auth.username", lang),
            "Password": t("auth.password", lang), "Login": t("auth.login", lang),
            "Captcha": t("auth.captcha", lang)}


def _credentials(config: AuthConfig) -> dict[str, Any]:
    """A fresh copy for this run, with this session's failed-attempt counts put back."""
    credentials = copy.deepcopy(config.credentials)
    attempts: dict[str, int] = st.session_state.get(_ATTEMPTS_KEY, {})
    for username, entry in credentials["usernames"].items():
        entry.pop("failed_login_attempts", None)
        entry.pop("logged_in", None)
        if attempts.get(username):
            entry["failed_login_attempts"] = attempts[username]
    return credentials


def _keep_attempts(credentials: dict[str, Any]) -> None:
    st.session_state[_ATTEMPTS_KEY] = {
        username: entry["failed_login_attempts"]
        for username, entry in credentials["usernames"].items()
        if entry.get("failed_login_attempts")
    }


def _forget_session() -> None:
    """Logout: the next person on this browser session starts from nothing.

    Every key goes (the uploader's files, filters, page state) except the
    language and streamlit-authenticator's own keys. Logged-out runs end with
    st.stop(), after which Streamlit does not drop the state of widgets that
    were not drawn: without this, the Data page's uploader would hand the
    previous user's files to the next one.
    """
    session.replace_workspace(Workspace())
    for key in list(st.session_state.keys()):
        if key not in _KEPT_ON_LOGOUT:
            del st.session_state[key]


def _remembered_user(config: AuthConfig) -> User | None:
    """Log this session in from streamlit-authenticator's login cookie, drawing nothing.

    streamlit-authenticator 0.4.2 reads the cookie from st.context.cookies and
    checks it as below (models/cookie_model.py: an HS256 JWT signed with the
    cookie key, holding `username` and `exp_date`), but only inside objects that
    also draw its cookie component, whose first report reruns the app. Doing
    the same check here lets a remembered user's first run register their own
    pages and draw the page at once, with no component and no extra rerun (a
    rerun that starts while the page's queries run would use the session's
    DuckDB connection from two threads).
    """
    if st.session_state.get("logout"):  # logged out in this session: ignore the cookie
        return None
    token = st.context.cookies.get(config.cookie_name) if st.context.cookies else None
    if not token:
        return None
    import jwt

    try:
        claims = jwt.decode(token, config.cookie_key, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    expires = claims.get("exp_date")
    if not isinstance(expires, int | float) or expires <= time.time():
        return None
    user = config.user(claims.get("username"))
    if user is None:  # removed from the configuration: the login form will say so
        return None
    entry = config.credentials["usernames"][user.username]
    st.session_state.update({"authentication_status": True, "username": user.username,
                             "name": user.name, "email": entry.get("email"),
                             "roles": entry.get("roles")})
    return user


def _authenticator(config: AuthConfig, credentials: dict[str, Any]) -> Any:
    """streamlit-authenticator's object (it draws its cookie component when created)."""
    import streamlit_authenticator as stauth

    return stauth.Authenticate(credentials, config.cookie_name, config.cookie_key,
                               config.cookie_expiry_days, auto_hash=False)


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
    if st.session_state.get("authentication_status"):
        return config.user(st.session_state.get("username"))
    return _remembered_user(config)


def gate(lang: str, registered_for: User | None) -> User | None:
    """The current user; None while logged out (the login form is then on screen).

    `registered_for` is what `session_user` returned before st.navigation in
    this run. Local mode returns the one local user (a manager) and shows a
    discreet banner. Hosted mode: the signed-in box and Log out button in the
    sidebar, or the login form. After a login by the form the run stops: the
    component that writes the login cookie, drawn in this run, must reach the
    browser (st.rerun() would drop it, DESIGN.md); its report reruns the app.
    """
    config = load_config(lang)
    if config is None:
        st.sidebar.caption(t("auth.local_mode", lang), help=t("auth.local_mode_help", lang))
        st.session_state[_USER_KEY] = LOCAL_USER
        return LOCAL_USER

    from streamlit_authenticator.utilities import LoginError

    credentials = _credentials(config)
    authenticator = None
    if st.session_state.get("authentication_status"):
        user = config.user(st.session_state.get("username"))
        if user is not None:
            role = t(f"auth.role.{user.role}", lang)
            st.sidebar.caption(t("auth.signed_in_as", lang, name=user.name, role=role),
                               help=t("auth.role_help." + user.role, lang))
            if not st.sidebar.button(t("auth.logout", lang), key=_LOGOUT_KEY):
                st.session_state[_USER_KEY] = user
                if user != registered_for:  # e.g. a role changed: register its pages
                    st.rerun()
                return user
        # Log out (the button, or a user removed from the configuration): the
        # library clears its keys, sets its `logout` flag and deletes the cookie.
        authenticator = _authenticator(config, credentials)
        authenticator.logout(location="unrendered")
        _forget_session()

    st.session_state.pop(_USER_KEY, None)
    authenticator = authenticator or _authenticator(config, credentials)
    try:
        authenticator.login(location="main", max_login_attempts=MAX_LOGIN_ATTEMPTS,
                            fields=_login_fields(lang), key=_LOGIN_FORM_KEY)
    except LoginError as exc:
        if "attempts" in str(exc):
            st.error(t("auth.locked", lang, n=MAX_LOGIN_ATTEMPTS), icon=":material/lock:")
        else:  # e.g. a remembered login for a user removed from the configuration
            log.info("login refused: %s", exc)
            st.session_state["logout"] = True  # the library's flag: ignore that cookie now
            st.session_state[_REFUSED_KEY] = True  # say it again on the next runs
            authenticator.cookie_controller.delete_cookie()
            st.error(t("auth.not_authorised", lang), icon=":material/block:")
        _keep_attempts(credentials)
        return None
    _keep_attempts(credentials)

    status = st.session_state.get("authentication_status")
    if status is False:
        st.error(t("auth.wrong", lang), icon=":material/error:")
        return None
    if not status and st.session_state.get(_REFUSED_KEY):
        st.error(t("auth.not_authorised", lang), icon=":material/block:")
    user = config.user(st.session_state.get("username")) if status else None
    if user is None:
        return None
    st.session_state[_USER_KEY] = user
    if config.cookie_expiry_days == 0:
        st.rerun()  # no cookie to write: draw this user's pages now
    # Logged in by the form just now: stop so the cookie component reaches the
    # browser; it reports back once the cookie is set, which reruns the app.
    st.success(t("auth.welcome", lang, name=user.name), icon=":material/check_circle:")
    st.stop()


def current_user() -> User | None:
    """The user `gate` let in during this session's latest run."""
    return st.session_state.get(_USER_KEY)


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

    Local user: the session workspace, starting on the demo data. Manager: the
    session workspace, starting empty (their own uploads, never shared until
    published). Viewer: the current published snapshot, read-only; a newer
    publish is picked up on the next run. With nothing published, a viewer sees
    a message and the run stops.
    """
    owner = (user.username, user.role)
    previous = st.session_state.get(_OWNER_KEY)
    if previous is not None and tuple(previous) != owner:
        session.replace_workspace(Workspace())  # another user or role on this session
        st.session_state.pop(_SNAPSHOT_KEY, None)
    st.session_state[_OWNER_KEY] = owner
    if user.is_manager:
        workspace = session.workspace(load_demo=user.local)
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
