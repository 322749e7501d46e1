"""Drafts on disk: a browser's token or a manager's name -> a folder nobody else reaches;
saving is atomic and a reopened draft can still be remapped (its uploads' bytes are kept).

Expected rows are written by hand from DEALS below.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import kpi.workspace.snapshot as snapshot_module
import kpi.workspace.storage as storage_module
from kpi import drafts
from kpi.ingest import Mappings
from kpi.schema import TableKind
from kpi.workspace import SOURCES_DIR, Workspace, drawing_pages

DEALS = (
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "D-1,Alice,won,1000,2025-01-02,2025-02-01,LinkedIn\n"
    "D-2,Bob,lost,500,2025-01-03,2025-02-05,Carrier pigeon\n"
)


def deals(ws: Workspace) -> list[tuple]:
    return ws.con.execute("SELECT deal_id, owner, channel::VARCHAR, amount FROM deals "
                          "ORDER BY deal_id").fetchall()


@pytest.fixture
def ws():
    workspace = Workspace()
    workspace.add_file(DEALS.encode(), "deals.csv")
    yield workspace
    workspace.close()


def test_tokens_are_long_random_and_checked() -> None:
    first, second = drafts.new_token(), drafts.new_token()
    assert first != second and len(first) == 43
    assert drafts.is_token(first)
    for junk in (None, "", "short", "../" * 15, first + "x", first[:-1] + "/"):
        assert not drafts.is_token(junk), junk
    with pytest.raises(ValueError):
        drafts.browser_key("../../etc")


def test_the_folder_is_a_hash_of_the_key_never_the_token(tmp_path: Path) -> None:
    token = drafts.new_token()
    path = drafts.folder(drafts.browser_key(token), tmp_path)
    assert path.parent == tmp_path / "drafts"
    assert path.name == hashlib.sha256(f"browser:{token}".encode()).hexdigest()
    assert token not in str(path)
    # A user named like a browser's key still gets another folder.
    assert drafts.folder(drafts.user_key(f"browser:{token}"), tmp_path) != path
    assert drafts.folder(drafts.user_key("ana"), tmp_path) != drafts.folder(
        drafts.user_key("bob"), tmp_path)


def test_the_default_root_is_the_workspaces_folder(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KPI_WORKSPACES_DIR", str(tmp_path / "elsewhere"))
    assert drafts.folder("user:ana").parent == tmp_path / "elsewhere" / "drafts"


def test_a_saved_draft_reopens_writable_and_only_for_its_key(ws: Workspace, tmp_path) -> None:
    mine, theirs = drafts.browser_key(drafts.new_token()), drafts.browser_key(drafts.new_token())
    drafts.save_draft(ws, mine, tmp_path)
    assert drafts.open_draft(theirs, tmp_path) is None
    reopened = drafts.open_draft(mine, tmp_path)
    assert reopened is not None and not reopened.read_only
    assert deals(reopened) == [("D-1", "Alice", "linkedin", 1000.0),
                               ("D-2", "Bob", "other", 500.0)]
    assert reopened.sources["deals.csv"].data == DEALS.encode()


def test_a_reopened_draft_can_still_be_remapped(ws: Workspace, tmp_path: Path) -> None:
    key = drafts.user_key("ana")
    drafts.save_draft(ws, key, tmp_path)
    reopened = drafts.open_draft(key, tmp_path)
    reopened.set_mappings(Mappings(channels={"Carrier pigeon": "event"}))
    assert deals(reopened)[1] == ("D-2", "Bob", "event", 500.0)
    # ...and the change is saved like any other: the next open sees it.
    drafts.save_draft(reopened, key, tmp_path)
    assert deals(drafts.open_draft(key, tmp_path))[1][2] == "event"


def test_every_change_moves_the_revision(ws: Workspace) -> None:
    before = ws.revision
    ws.set_mappings(Mappings(channels={"Carrier pigeon": "event"}))
    ws.save_mapping("deals.csv")
    ws.remove_file("deals.csv")
    assert ws.revision == before + 3


def test_a_failed_save_leaves_the_previous_draft_whole(ws: Workspace, tmp_path: Path,
                                                       monkeypatch) -> None:
    key = drafts.user_key("ana")
    drafts.save_draft(ws, key, tmp_path)
    ws.remove_file("deals.csv")

    def disk_full(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise OSError("No space left on device")

    monkeypatch.setattr(snapshot_module.pq, "write_table", disk_full)
    with pytest.raises(OSError):
        drafts.save_draft(ws, key, tmp_path)
    assert len(deals(drafts.open_draft(key, tmp_path))) == 2
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == [drafts.folder(key).name]


def test_upload_bytes_are_written_once_then_linked(ws: Workspace, tmp_path: Path) -> None:
    key = drafts.user_key("ana")
    path = drafts.save_draft(ws, key, tmp_path)
    digest = hashlib.sha256(DEALS.encode()).hexdigest()
    inode = (path / SOURCES_DIR / digest).stat().st_ino
    ws.set_mappings(Mappings(channels={"Carrier pigeon": "event"}))
    drafts.save_draft(ws, key, tmp_path)
    assert (path / SOURCES_DIR / digest).stat().st_ino == inode
    assert pq.read_table(path / "deals.parquet").num_rows == 2


def test_uploads_beyond_the_bound_are_saved_as_rows_only(ws: Workspace, tmp_path: Path,
                                                         monkeypatch) -> None:
    monkeypatch.setattr(snapshot_module, "MAX_KEPT_SOURCE_BYTES", len(DEALS) - 1)
    key = drafts.user_key("ana")
    path = drafts.save_draft(ws, key, tmp_path)
    assert list((path / SOURCES_DIR).iterdir()) == []
    reopened = drafts.open_draft(key, tmp_path)
    assert len(deals(reopened)) == 2 and reopened.sources["deals.csv"].data == b""


def test_a_damaged_draft_opens_as_none(tmp_path: Path) -> None:
    key = drafts.user_key("ana")
    path = drafts.folder(key, tmp_path)
    path.mkdir(parents=True)
    (path / "manifest.json").write_text("{not json")
    assert drafts.open_draft(key, tmp_path) is None


def test_how_a_file_was_read_is_kept_for_its_next_re_import(tmp_path: Path) -> None:
    ws = Workspace()
    odd = DEALS.replace("owner", "qqq_who")  # a header no dialect knows: mapped by hand
    mapping = {"deal_id": "deal_id", "qqq_who": "owner", "status": "status", "amount": "amount",
               "created_at": "created_at", "closed_at": "closed_at", "channel": "channel"}
    ws.add_file(odd.encode(), "odd.csv", kind=TableKind.DEALS, mapping=mapping)
    key = drafts.user_key("ana")
    drafts.save_draft(ws, key, tmp_path)
    ws.close()
    reopened = drafts.open_draft(key, tmp_path)
    source = reopened.sources["odd.csv"]
    assert (source.kind, source.mapping) == (TableKind.DEALS, mapping)
    reopened.set_mappings(Mappings(channels={"Carrier pigeon": "event"}))
    assert deals(reopened) == [("D-1", "Alice", "linkedin", 1000.0),
                               ("D-2", "Bob", "event", 500.0)]


# --- saved off the request path (issue 14) ------------------------------------------


def test_a_save_later_is_on_disk_once_it_has_finished(ws: Workspace, tmp_path: Path) -> None:
    key = drafts.user_key("ana")
    drafts.save_later(ws, key, tmp_path)
    assert drafts.wait_saved(key, tmp_path)
    assert not drafts.save_failed(key, tmp_path)
    assert deals(drafts.open_draft(key, tmp_path)) == [("D-1", "Alice", "linkedin", 1000.0),
                                                       ("D-2", "Bob", "other", 500.0)]


def test_a_crash_mid_save_leaves_the_previous_draft_and_is_told(ws: Workspace, tmp_path: Path,
                                                                monkeypatch) -> None:
    key = drafts.user_key("ana")
    drafts.save_later(ws, key, tmp_path)
    drafts.wait_saved(key, tmp_path)
    ws.remove_file("deals.csv")
    real, written = snapshot_module.pq.write_table, []

    def crash_after_one_table(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        if written:
            raise RuntimeError("killed mid-save")
        written.append(args[1])
        real(*args, **kwargs)

    monkeypatch.setattr(snapshot_module.pq, "write_table", crash_after_one_table)
    drafts.save_later(ws, key, tmp_path)
    assert drafts.wait_saved(key, tmp_path)
    assert drafts.save_failed(key, tmp_path)
    assert len(written) == 1  # one table was on disk when the save died
    monkeypatch.setattr(snapshot_module.pq, "write_table", real)
    assert len(deals(drafts.open_draft(key, tmp_path))) == 2  # the previous draft, whole
    assert [p.name for p in (tmp_path / "drafts").iterdir()] == [drafts.folder(key).name]
    drafts.save_later(ws, key, tmp_path)  # the next save succeeds and clears the failure
    drafts.wait_saved(key, tmp_path)
    assert not drafts.save_failed(key, tmp_path)
    assert deals(drafts.open_draft(key, tmp_path)) == []


class Gate:
    """pq.write_table held until `release` is set; counts the tables written."""

    def __init__(self, monkeypatch) -> None:  # noqa: ANN001
        self.release, self.started, self.tables = threading.Event(), threading.Event(), 0
        self.real = snapshot_module.pq.write_table
        monkeypatch.setattr(snapshot_module.pq, "write_table", self)

    def __call__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        self.started.set()
        assert self.release.wait(60)
        self.tables += 1
        self.real(*args, **kwargs)


def test_reopening_waits_for_a_save_still_running(ws: Workspace, tmp_path: Path,
                                                  monkeypatch) -> None:
    key = drafts.user_key("ana")
    drafts.save_draft(ws, key, tmp_path)  # the previous draft: both deals
    ws.remove_file("deals.csv")
    gate = Gate(monkeypatch)
    drafts.save_later(ws, key, tmp_path)
    assert gate.started.wait(30)
    assert not drafts.wait_saved(key, tmp_path, timeout=0)  # still running
    opened: list[Workspace | None] = []
    reader = threading.Thread(target=lambda: opened.append(drafts.open_draft(key, tmp_path)))
    reader.start()
    reader.join(timeout=1.0)
    assert reader.is_alive()  # the reopening waits for the save...
    gate.release.set()
    reader.join(timeout=60)
    assert deals(opened[0]) == []  # ...and sees it: the file removed


def test_saves_asked_while_one_runs_end_with_the_latest_once(tmp_path: Path,
                                                             monkeypatch) -> None:
    key = drafts.user_key("ana")
    first, second, third = Workspace(), Workspace(), Workspace()
    second.add_file(DEALS.encode(), "deals.csv")
    third.add_file(DEALS.replace("Bob", "Carol").encode(), "deals.csv")
    gate = Gate(monkeypatch)
    drafts.save_later(first, key, tmp_path)
    assert gate.started.wait(30)
    drafts.save_later(second, key, tmp_path)  # superseded before its turn
    drafts.save_later(third, key, tmp_path)
    gate.release.set()
    assert drafts.wait_saved(key, tmp_path)
    assert gate.tables == 2 * len(TableKind)  # two saves: the running one, then the latest
    assert [row[1] for row in deals(drafts.open_draft(key, tmp_path))] == ["Alice", "Carol"]
    for workspace in (first, second, third):
        workspace.close()


def test_a_draft_under_a_folder_named_like_a_glob_reopens(ws: Workspace, tmp_path: Path) -> None:
    root = tmp_path / "ws[1]*"  # DuckDB's read_parquet would read these as a pattern
    key = drafts.user_key("ana")
    drafts.save_draft(ws, key, root)
    assert deals(drafts.open_draft(key, root)) == [("D-1", "Alice", "linkedin", 1000.0),
                                                   ("D-2", "Bob", "other", 500.0)]


def test_a_reopened_upload_outlives_the_draft_saved_over_it(ws: Workspace, tmp_path: Path) -> None:
    key = drafts.user_key("ana")
    drafts.save_draft(ws, key, tmp_path)
    reopened = drafts.open_draft(key, tmp_path)
    ws.remove_file("deals.csv")
    drafts.save_draft(ws, key, tmp_path)  # the folder is replaced: the upload's file goes
    assert not list((drafts.folder(key, tmp_path) / SOURCES_DIR).iterdir())
    assert reopened.sources["deals.csv"].data == DEALS.encode()  # still readable
    reopened.set_mappings(Mappings(channels={"Carrier pigeon": "event"}))
    assert deals(reopened)[1] == ("D-2", "Bob", "event", 500.0)
    reopened.close()


def test_a_save_waits_for_the_pages_being_drawn(ws: Workspace, tmp_path: Path,
                                                monkeypatch) -> None:
    key = drafts.user_key("ana")
    gate = Gate(monkeypatch)
    gate.release.set()
    with drawing_pages():  # the upload's first Overview, drawn before the draft is written
        drafts.save_later(ws, key, tmp_path)
        # Absence over a short bound: the save would start at once if it did not wait.
        assert not gate.started.wait(0.3), "saved while a page was being drawn"
    assert drafts.wait_saved(key, tmp_path, timeout=30)
    assert gate.started.is_set()
    assert deals(drafts.open_draft(key, tmp_path)) == deals(ws)


def test_a_save_someone_waits_for_runs_at_once(ws: Workspace, tmp_path: Path,
                                               monkeypatch) -> None:
    monkeypatch.setattr(storage_module, "MAX_DEFERRAL_S", 120.0)
    key = drafts.user_key("ana")
    gate = Gate(monkeypatch)
    gate.release.set()
    with drawing_pages():  # a new tab's run reopening the draft right after an upload
        drafts.save_later(ws, key, tmp_path)
        assert drafts.wait_saved(key, tmp_path, timeout=30), "waited for the pages it is in"
        assert deals(drafts.open_draft(key, tmp_path)) == deals(ws)
