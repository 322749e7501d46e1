"""What app.py hands every page: the session's workspace, the filters, the language.

st.Page calls a page's `render()` with no arguments, so app.py stores the
context for this run in st.session_state and pages read it back here.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from kpi.schema import Filters
from kpi.workspace import Workspace

_KEY = "_kpi_page_context"


@dataclass(frozen=True)
class PageContext:
    workspace: Workspace
    filters: Filters
    lang: str


def set_current(context: PageContext) -> None:
    st.session_state[_KEY] = context


def current() -> PageContext:
    """The context app.py prepared for this run."""
    return st.session_state[_KEY]
