"""Compression after a change, on a thread: the change returns first, nothing is lost.

A workspace's rows stay raw until a checkpoint compresses them (kpi/workspace/
storage.py); the checkpoint runs after the change, so an upload's first chart
does not wait for it. These tests hold the checkpoint on an event to see each
moment, and read DuckDB's own storage description to see what was compressed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

import kpi.workspace.storage as storage_module
from kpi.workspace import Workspace, drawing_pages
from kpi.workspace.storage import Storage

DEALS = "deal_id,owner,status,amount,created_at,closed_at,channel\n" + "".join(
    f"D-{i},Rep {i % 7},{('won', 'lost', 'open')[i % 3]},{i * 10}.5,2025-01-{1 + i % 28:02d},"
    f"{'2025-03-01' if i % 3 != 2 else ''},LinkedIn\n"
    for i in range(3000))
MORE = DEALS.replace("D-", "E-")
SUMMARY = "SELECT count(*), sum(amount), count(DISTINCT owner) FROM deals"
# 3000 deals: amounts i*10 + 0.5 for i in 0..2999 (sum by hand: 10 * 2999*3000/2 + 1500).
EXPECTED = (3000, 10 * 2999 * 3000 / 2 + 0.5 * 3000, 7)


def compressions(workspace: Workspace) -> set[str]:
    """How DuckDB stores the deals' columns (only 'Uncompressed' before a checkpoint)."""
    return {row[0] for row in workspace.con.execute(
        "SELECT DISTINCT compression FROM pragma_storage_info('deals')").fetchall()}


def held_back(action: Callable[[], object], release: threading.Event, why: str) -> None:
    """`action` on a thread: still running while the checkpoint is held, done once released."""
    thread = threading.Thread(target=action)
    thread.start()
    thread.join(0.5)
    assert thread.is_alive(), why
    release.set()
    thread.join(30)
    assert not thread.is_alive()


def compressing(started: threading.Event) -> Workspace:
    """A workspace of DEALS whose upload returned while its checkpoint began (and is held)."""
    workspace = Workspace()
    workspace.add_file(DEALS.encode(), "deals.csv")  # returns although the checkpoint waits
    assert started.wait(10)
    return workspace


@pytest.fixture
def held(monkeypatch):
    """Checkpoints wait for `release` to be set; `started` is set when one begins."""
    started, release = threading.Event(), threading.Event()
    checkpoint = Storage._checkpoint

    def held_checkpoint(self: Storage) -> None:
        started.set()
        assert release.wait(30), "the test never released the checkpoint"
        checkpoint(self)

    monkeypatch.setattr(Storage, "_checkpoint", held_checkpoint)
    yield started, release
    release.set()


def test_an_upload_returns_before_its_rows_are_compressed_and_is_queried_meanwhile(held) -> None:
    started, release = held
    workspace = compressing(started)
    assert compressions(workspace) == {"Uncompressed"}
    assert workspace.con.execute(SUMMARY).fetchall() == [EXPECTED]
    release.set()
    workspace.storage.settle()
    assert compressions(workspace) - {"Uncompressed"}, "nothing was compressed"
    assert workspace.con.execute(SUMMARY).fetchall() == [EXPECTED]
    workspace.close()


def test_a_change_during_a_compaction_waits_for_it_and_loses_nothing(held) -> None:
    started, release = held
    workspace = compressing(started)
    held_back(lambda: workspace.add_file(MORE.encode(), "more.csv"), release,
              "the second upload wrote beside a running checkpoint")
    workspace.storage.settle()
    count, total, owners = workspace.con.execute(SUMMARY).fetchall()[0]
    assert (count, total, owners) == (6000, 2 * EXPECTED[1], 7)
    assert compressions(workspace) - {"Uncompressed"}
    workspace.close()


def test_close_waits_for_a_running_compaction(held) -> None:
    started, release = held
    workspace = compressing(started)
    held_back(workspace.close, release, "the connection was closed under a running checkpoint")


def test_a_reopened_snapshot_is_compressed_after_it_opens(tmp_path) -> None:
    workspace = Workspace()
    workspace.add_file(DEALS.encode(), "deals.csv")
    workspace.save(tmp_path / "snap")
    workspace.close()
    reopened = Workspace.open(tmp_path / "snap")
    reopened.storage.settle()
    assert reopened.con.execute(SUMMARY).fetchall() == [EXPECTED]
    assert compressions(reopened) - {"Uncompressed"}
    reopened.close()


def test_a_one_shot_run_never_starts_a_compaction(monkeypatch) -> None:
    monkeypatch.setattr(Storage, "_checkpoint", lambda self: pytest.fail("compacted"))
    workspace = Workspace(one_shot=True)
    workspace.add_file(DEALS.encode(), "deals.csv")
    workspace.remove_file("deals.csv")
    workspace.close()


def test_a_compaction_waits_for_the_pages_being_drawn(held) -> None:
    started, release = held
    release.set()
    workspace = Workspace()
    with drawing_pages():  # a run of the app, in any session of the process
        workspace.add_file(DEALS.encode(), "deals.csv")
        # Absence over a short bound: the checkpoint would start at once if it did not wait.
        assert not started.wait(0.3), "compressed while a page was being drawn"
    assert started.wait(10)
    workspace.storage.settle()
    assert compressions(workspace) - {"Uncompressed"}
    workspace.close()


def test_a_busy_server_still_compresses_after_the_longest_wait(held, monkeypatch) -> None:
    started, release = held
    release.set()
    monkeypatch.setattr(storage_module, "MAX_DEFERRAL_S", 0.2)
    workspace = Workspace()
    with drawing_pages():
        workspace.add_file(DEALS.encode(), "deals.csv")
        assert started.wait(10)  # inside the run: the wait has its bound
    workspace.close()


def test_closing_drops_a_compaction_still_waiting_for_a_page(held) -> None:
    started, release = held
    release.set()
    workspace = Workspace()
    with drawing_pages():  # a page that closes its workspace (a logout, the demo loaded)
        workspace.add_file(DEALS.encode(), "deals.csv")
        workspace.close()  # returns: it does not wait for the page it is drawn from
    assert not started.is_set()


def test_a_compaction_starts_once_no_run_has_drawn_for_a_moment(held, monkeypatch) -> None:
    monkeypatch.setattr(storage_module, "QUIET_S", 0.6)
    started, release = held
    release.set()
    workspace = Workspace()
    with drawing_pages():  # the upload's run; the next one (the Overview) follows at once
        workspace.add_file(DEALS.encode(), "deals.csv")
    ended = time.monotonic()
    assert started.wait(10)
    assert time.monotonic() - ended >= 0.55  # a lower bound: a loaded machine only adds
    workspace.close()


def test_a_finished_compaction_does_not_wait_for_the_pages_to_end_its_thread(
        held, monkeypatch) -> None:
    monkeypatch.setattr(storage_module, "MAX_DEFERRAL_S", 120.0)
    started, release = held
    workspace = compressing(started)
    with drawing_pages():  # a page starts meanwhile
        release.set()
        settling = threading.Thread(target=workspace.storage.settle)
        settling.start()
        settling.join(10)
        assert not settling.is_alive(), "the thread waited for the page with nothing to do"
    workspace.close()
