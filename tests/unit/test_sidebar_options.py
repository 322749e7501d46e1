"""The sidebar's options are queried once per workspace revision (issue 14), and every
change to the data (add, replace, remove, remap, clear, demo, snapshot) is seen.

Expected options are read by hand from the small files below.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kpi.ingest import Mappings
from kpi.ui.sidebar import options
from kpi.workspace import Workspace

# No currency column: the deals are in the workspace's currency (EUR by default).
DEALS = (
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "D-1,Alice,won,1000,2025-01-02,2025-02-01,LinkedIn\n"
    "D-2,Bob,lost,500,2025-01-03,2025-02-05,Cold email\n"
)
MORE = (
    "deal_id,owner,status,amount,created_at,closed_at,channel,currency\n"
    "M-1,Zoe,won,700,2024-12-01,2025-03-01,Referral,USD\n"
)


class Counting:
    """The workspace's connection, keeping the SQL of every query run through `execute`."""

    def __init__(self, con: Any) -> None:
        self.con, self.queries = con, []

    @property
    def calls(self) -> int:
        return len(self.queries)

    def execute(self, sql: str, *args: Any) -> Any:
        self.queries.append(sql)
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.con, name)


@pytest.fixture
def ws() -> Iterator[Workspace]:
    workspace = Workspace()
    workspace.add_file(DEALS.encode(), "deals.csv")
    yield workspace
    workspace.close()


def codes(workspace: Workspace) -> list[str]:
    return [c.currency for c in options(workspace).currencies]


def test_a_second_call_at_the_same_revision_runs_no_query(ws: Workspace) -> None:
    counting = Counting(ws.storage.con)
    ws.storage.con = counting
    first = options(ws)
    asked = counting.calls
    assert asked >= 4  # span, reps, channels, currencies
    assert options(ws) == first
    assert counting.calls == asked  # nothing asked again
    ws.revision += 1  # what any committed change does
    options(ws)
    assert counting.calls == 2 * asked
    ws.storage.con = counting.con


def test_the_options_are_those_of_the_data(ws: Workspace) -> None:
    offered = options(ws)
    assert offered.span == (date(2025, 1, 2), date(2025, 2, 5))
    assert offered.reps == ("Alice", "Bob")
    assert offered.channels == ("linkedin", "cold_email")  # the declared order
    assert codes(ws) == ["EUR"]


def test_adding_and_removing_a_file_change_them(ws: Workspace) -> None:
    options(ws)
    ws.add_file(MORE.encode(), "more.csv")
    offered = options(ws)
    assert offered.span == (date(2024, 12, 1), date(2025, 3, 1))
    assert "Zoe" in offered.reps and "referral" in offered.channels
    assert set(codes(ws)) == {"EUR", "USD"}
    ws.remove_file("more.csv")
    assert options(ws).reps == ("Alice", "Bob") and codes(ws) == ["EUR"]


def test_replacing_a_file_changes_them(ws: Workspace) -> None:
    options(ws)
    ws.add_file(DEALS.replace("Bob", "Carol").encode(), "deals.csv", replace=True)
    assert options(ws).reps == ("Alice", "Carol")


def test_a_remap_changes_them(ws: Workspace) -> None:
    options(ws)
    ws.set_mappings(Mappings(channels={"Cold email": "event"}, currency="USD"))
    offered = options(ws)
    assert "event" in offered.channels and "cold_email" not in offered.channels
    assert codes(ws) == ["USD"]


def test_clear_and_demo_change_them(ws: Workspace) -> None:
    options(ws)
    ws.clear()
    assert options(ws).reps == () and options(ws).span == (None, None)
    ws.load_demo()
    assert "Alice" not in options(ws).reps and options(ws).reps  # the demo's own reps


def test_a_restored_snapshot_has_its_own_options(ws: Workspace, tmp_path: Path) -> None:
    ws.save(tmp_path / "snap")
    before = options(ws)
    ws.add_file(MORE.encode(), "more.csv")
    options(ws)  # remembered at the new revision
    restored = Workspace.open(tmp_path / "snap")
    assert options(restored) == before  # the snapshot's data, not the live workspace's
    restored.close()
