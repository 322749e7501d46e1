"""What a page is given: the session's workspace, the filters, the language, the user.

The workspace is the session's uploads, or in warehouse mode a `SourceData`
that answers the same questions from the source (kpi/source.py).

A page is `render(page: PageContext)`, a function of this one argument: app.py
builds the context once per run (after the login and the sidebar) and hands it
to the page st.navigation picked, so a page reads nothing back from
st.session_state and a test can draw it with a context of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from streamlit.navigation.page import StreamlitPage

from kpi.auth import User
from kpi.schema import Filters
from kpi.source import SourceData
from kpi.workspace import Workspace


@dataclass(frozen=True)
class PageContext:
    workspace: Workspace | SourceData  # SourceData in warehouse mode (kpi/source.py)
    filters: Filters
    lang: str
    user: User


Render = Callable[[PageContext], None]


class Pages:
    """st.Page calls a page with no argument; this hands it the run's context.

    app.py registers every page with st.navigation before the login, so before
    the context exists: `entry(render)` is what st.Page gets, and `run(page,
    context)` draws the page picked with the context built after the login.
    One instance per run of app.py.
    """

    def __init__(self) -> None:
        self._context: PageContext | None = None

    def entry(self, render: Render) -> Callable[[], None]:
        def run() -> None:
            if self._context is None:
                raise RuntimeError("a page ran before app.py gave it its context")
            render(self._context)
        return run

    def run(self, page: StreamlitPage, context: PageContext) -> None:
        self._context = context
        page.run()
