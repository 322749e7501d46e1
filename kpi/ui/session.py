"""The session's workspace: created on first use, kept in st.session_state, saved as a draft.

Never in a global cache: st.session_state is per browser session, so one
user's uploads cannot reach another's (SECURITY.md, "One workspace per browser
session"). What survives a reload or
a new tab is the session's draft on disk (kpi.drafts), keyed to this browser
by a random token in a cookie (local mode) or to the logged-in manager
(hosted mode); viewers read published snapshots and have no draft.
"""

from __future__ import annotations

import streamlit as st

from kpi import drafts
from kpi.auth import User
from kpi.i18n import t
from kpi.workspace import Workspace

_WORKSPACE_KEY = "_kpi_workspace"
_DRAFT_KEY = "_kpi_draft"  # the draft this session's workspace is saved to
_SAVED_KEY = "_kpi_draft_revision"  # the workspace revision last asked to be saved
_TOKEN_KEY = "_kpi_browser_token"
# The browser's draft token. Written by the page's JavaScript (Streamlit has no
# cookie API), so not HttpOnly: a script injected into the page could read it
# (uploaded text is escaped for that reason, kpi.ui.markdown). SameSite=Lax:
# sent by this site's own requests, among them the websocket that carries it
# to st.context.cookies.
TOKEN_COOKIE = "kpi_draft"
TOKEN_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


def workspace(load_demo: bool = True, draft: str | None = None) -> Workspace:
    """This session's workspace: its draft when one was saved, else a new one (on the
    demo data in local mode). `draft` is the drafts key to save its changes to."""
    current = st.session_state.get(_WORKSPACE_KEY)
    if current is None:
        current = drafts.open_draft(draft) if draft else None
        if current is None:
            current = Workspace()
            if load_demo:
                current.load_demo()
        st.session_state[_WORKSPACE_KEY] = current
        st.session_state[_DRAFT_KEY] = draft
        st.session_state[_SAVED_KEY] = current.revision  # nothing to save yet
    return current


def replace_workspace(new: Workspace) -> None:
    """Swap the session's workspace for one that is not saved as a draft (a snapshot)."""
    old = st.session_state.get(_WORKSPACE_KEY)
    st.session_state[_WORKSPACE_KEY] = new
    _close(old if old is not new else None, st.session_state.pop(_DRAFT_KEY, None))


def forget_workspace() -> None:
    """Drop the session's workspace (a logout, another user): the next `workspace()` call
    opens the draft of whoever the session is then."""
    _close(st.session_state.pop(_WORKSPACE_KEY, None), st.session_state.pop(_DRAFT_KEY, None))


def _close(old: Workspace | None, draft: str | None) -> None:
    """Close a workspace the session lets go of, once a save of its draft asked for has run."""
    if old is None:
        return
    if draft:
        drafts.wait_saved(draft)
    old.close()


def keep_draft(lang: str) -> None:
    """Have the session's workspace saved to its draft if it changed since the last request.

    Called after every run (also one that ended in st.rerun or st.stop). The
    save runs on a thread (kpi.drafts.save_later): at 1M deals it takes
    2-2.5 s that the upload's run no longer waits for. A failed save is said
    on the next run and asked again.
    """
    draft = st.session_state.get(_DRAFT_KEY)
    current = st.session_state.get(_WORKSPACE_KEY)
    if not draft or current is None:
        return
    if drafts.save_failed(draft):
        st.sidebar.warning(t("draft.save_failed", lang), icon=":material/save:")
        st.session_state.pop(_SAVED_KEY, None)  # ask again
    if current.revision == st.session_state.get(_SAVED_KEY):
        return
    drafts.save_later(current, draft)
    st.session_state[_SAVED_KEY] = current.revision


def draft_key(user: User) -> str:
    """Whose draft this session edits: the manager's (hosted) or this browser's (local)."""
    return drafts.browser_key(browser_token()) if user.local else drafts.user_key(user.username)


def browser_token() -> str:
    """This browser's draft token: from its cookie, else a new one written to the cookie.

    Never put in a URL: a shared link must not open the sender's draft.
    """
    cookies = st.context.cookies or {}
    token = cookies.get(TOKEN_COOKIE)
    if drafts.is_token(token):
        st.session_state[_TOKEN_KEY] = token
        return token
    token = st.session_state.get(_TOKEN_KEY)
    if token is None:
        token = st.session_state[_TOKEN_KEY] = drafts.new_token()
    _write_cookie(token)
    return token


def _write_cookie(token: str) -> None:
    """Set the token cookie from the page (token_urlsafe characters: nothing to escape)."""
    st.sidebar.html(
        "<script>document.cookie = "
        f"'{TOKEN_COOKIE}={token}; Max-Age={TOKEN_MAX_AGE}; Path=/; SameSite=Lax'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )
