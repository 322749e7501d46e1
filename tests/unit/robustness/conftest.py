"""Fixtures of the robustness tests; the inputs themselves are in hostile_inputs.py."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from hostile_inputs import GOOD_DEALS, GOOD_NAME, snapshot  # noqa: E402

from kpi.workspace import Workspace  # noqa: E402


@pytest.fixture
def loaded() -> Iterator[Workspace]:
    """A workspace holding GOOD_DEALS (2 won for 4000, 1 lost, 1 open)."""
    workspace = Workspace()
    workspace.add_file(GOOD_DEALS, GOOD_NAME)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def good_state() -> dict:
    """What the `loaded` workspace shows before anything else is uploaded (computed once)."""
    workspace = Workspace()
    try:
        workspace.add_file(GOOD_DEALS, GOOD_NAME)
        return snapshot(workspace)
    finally:
        workspace.close()
