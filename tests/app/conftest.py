"""AppTest setup shared by the app tests."""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager


@pytest.fixture(autouse=True)
def navigation_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """Resolve pages through st.navigation on every run, as a live server does.

    AppTest resets `uses_pages_directory` for each run, and the project's
    `pages/` folder would turn on Streamlit's legacy page lookup.
    """
    original = PagesManager.__init__

    def init(self, *args, **kwargs) -> None:  # noqa: ANN001, ANN002, ANN003
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


@pytest.fixture(autouse=True)
def workspaces_folder(monkeypatch: pytest.MonkeyPatch, tmp_path_factory) -> None:  # noqa: ANN001
    """Drafts and snapshots of app tests go to a temporary folder, never the project's."""
    monkeypatch.setenv("KPI_WORKSPACES_DIR", str(tmp_path_factory.mktemp("workspaces")))
