"""A hostile upload after a good one: the workspace keeps what it had.

A refused file changes nothing at all; a file with broken rows adds only its
good rows, and the rows already loaded stay exactly as they were.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_inputs import GOOD_DEALS, GOOD_NAME, Hostile, csv_bytes, deal, hostile_params, snapshot

from kpi.ingest import IngestError, UnreadableFile
from kpi.metrics import compute_report
from kpi.schema import Filters
from kpi.workspace import Workspace


def test_the_good_workspace_is_what_the_tests_expect(loaded: Workspace, good_state) -> None:
    state = snapshot(loaded)
    assert state == good_state
    assert state["counts"]["deals"] == 4
    assert state["won_revenue"] == 4000
    assert state["win_rate"] == pytest.approx(2 / 3)


@pytest.fixture(scope="module")
def survivor() -> Iterator[Workspace]:
    """One workspace that every refused upload of this module is thrown at, in turn."""
    workspace = Workspace()
    workspace.add_file(GOOD_DEALS, GOOD_NAME)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("hostile", hostile_params(refused=True))
def test_a_refused_file_changes_nothing(survivor: Workspace, hostile: Hostile,
                                        good_state) -> None:
    with pytest.raises(UnreadableFile) as caught:
        survivor.add_file(hostile.data(), hostile.name)
    assert str(caught.value).startswith(f"{hostile.name}:")
    assert snapshot(survivor) == good_state


REPLACEMENTS = {"empty", "nul-after-64kb", "zip-renamed", "truncated-xlsx", "unknown-headers"}


@pytest.mark.parametrize("hostile", [h for h in hostile_params(refused=True)
                                     if h.id in REPLACEMENTS])
def test_a_refused_replacement_keeps_the_old_file(survivor: Workspace, hostile: Hostile,
                                                  good_state) -> None:
    with pytest.raises(IngestError):
        survivor.add_file(hostile.data(), GOOD_NAME, replace=True)
    assert snapshot(survivor) == good_state


@pytest.fixture(scope="module")
def growing() -> Iterator[Workspace]:
    """One workspace that every file with broken rows is added to, in turn (ids never clash)."""
    workspace = Workspace()
    workspace.add_file(GOOD_DEALS, GOOD_NAME)
    yield workspace
    workspace.close()


@pytest.mark.parametrize("hostile", hostile_params(refused=False))
def test_broken_rows_add_only_the_good_rows(growing: Workspace, hostile: Hostile,
                                            good_state) -> None:
    before = snapshot(growing, kpi=False)
    report = growing.add_file(hostile.data(), hostile.name)
    after = snapshot(growing, kpi=False)
    assert report.rows_accepted == hostile.accepted
    assert {r.row for r in report.rejects} == set(hostile.rejected_lines)
    assert after["counts"]["deals"] == before["counts"]["deals"] + hostile.accepted
    assert report.file.startswith(hostile.name)  # "export.csv (2)": names are made unique
    assert after["files"] == sorted([*before["files"], report.file])
    kept = [row for row in after["deals"] if row[-1] == GOOD_NAME]  # source_file is last
    assert kept == good_state["deals"]  # the good file's rows, exactly as first loaded


def test_ids_already_loaded_are_rejected_not_overwritten(loaded: Workspace,
                                                         good_state) -> None:
    before = good_state
    clash = csv_bytes([deal("G1", owner="Mallory", amount="1000000", status="won",
                            closed_at="2024-04-02"), deal("NEW1")])
    report = loaded.add_file(clash, "clash.csv")
    assert report.rows_accepted == 1 and report.rows_rejected == 1
    assert "already loaded" in str(report.rejects[0].reason)
    assert snapshot(loaded)["won_revenue"] == before["won_revenue"]


def test_file_names_are_labels_never_paths(loaded: Workspace, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A name like ../../x.csv is only shown and stored in source_file, never opened."""
    workdir = tmp_path / "a" / "b"
    workdir.mkdir(parents=True)
    monkeypatch.chdir(workdir)
    names = ["../../escaped.csv", "/etc/passwd", "..\\..\\windows.csv", "nul\x00name.csv",
             "line\nbreak.csv"]
    for index, name in enumerate(names):
        loaded.add_file(csv_bytes([deal(f"P{index}")]), name)
    assert set(loaded.sources) == {GOOD_NAME, *names}
    stored = {row[0] for row in loaded.con.execute(
        "SELECT DISTINCT source_file FROM deals").fetchall()}
    assert stored == {GOOD_NAME, *names}
    assert not any(tmp_path.rglob("*.csv"))  # nothing was written anywhere
    assert not (tmp_path / "escaped.csv").exists()
    loaded.remove_file("../../escaped.csv")
    assert loaded.row_counts()["deals"] == 4 + len(names) - 1


def test_sql_in_filters_is_a_value(loaded: Workspace, good_state) -> None:
    before = good_state
    hostile = ["x'); DROP TABLE deals; --", "' OR '1'='1", "Ann Lee' --", "$reps"]
    figures = compute_report(loaded.con, Filters(reps=hostile, channels=hostile))["pipeline"]
    assert figures["closed"] == 0 and figures["won_revenue"] == 0
    assert snapshot(loaded) == before


def test_sql_in_names_is_a_value(loaded: Workspace) -> None:
    rep = "x'); DROP TABLE deals; --"
    loaded.add_file(csv_bytes([deal("S1", owner=rep, status="won", amount="10",
                                    closed_at="2024-04-02")]), "sql.csv")
    assert loaded.row_counts()["deals"] == 5
    figures = compute_report(loaded.con, Filters(reps=[rep]))["pipeline"]
    assert figures["won"] == 1 and figures["won_revenue"] == 10


def test_a_fresh_workspace_is_not_shared() -> None:
    """One in-memory database per session: what one loads, another does not see."""
    first, second = Workspace(), Workspace()
    try:
        first.add_file(GOOD_DEALS, GOOD_NAME)
        assert second.row_counts()["deals"] == 0
        assert first.con is not second.con
    finally:
        first.close()
        second.close()


def test_nothing_is_written_to_disk_by_an_import(loaded: Workspace, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    loaded.add_file(csv_bytes([deal("Z1")]), "z.csv")
    assert os.listdir(tmp_path) == []
