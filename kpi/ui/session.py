"""The session's workspace: created on first use, kept in st.session_state.

Never in a global cache: st.session_state is per browser session, so one
user's uploads cannot reach another's (DESIGN.md).
"""

from __future__ import annotations

import streamlit as st

from kpi.workspace import Workspace

_WORKSPACE_KEY = "_kpi_workspace"


def workspace(load_demo: bool = True) -> Workspace:
    """This session's workspace; a new session starts on the demo data in local mode."""
    current = st.session_state.get(_WORKSPACE_KEY)
    if current is None:
        current = Workspace()
        if load_demo:
            current.load_demo()
        st.session_state[_WORKSPACE_KEY] = current
    return current


def replace_workspace(new: Workspace) -> None:
    """Swap the session's workspace (e.g. for a published snapshot)."""
    old = st.session_state.get(_WORKSPACE_KEY)
    st.session_state[_WORKSPACE_KEY] = new
    if old is not None and old is not new:
        old.close()
