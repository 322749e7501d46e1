"""Publishing snapshots (kpi/snapshots.py): publish, list, keep 10, restore, failures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import kpi.workspace.snapshot as snapshot_module
from kpi import files, snapshots
from kpi.ingest import Mappings, UnreadableFile
from kpi.schema import TableKind
from kpi.workspace import MANIFEST, Workspace

DEALS = (
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "D-1,Alice,won,1000,2025-01-02,2025-02-01,linkedin\n"
    "D-2,Bob,lost,500,2025-01-03,2025-02-05,website\n"
)
MORE_DEALS = DEALS + "D-3,Alice,won,2500,2025-01-04,2025-03-01,referral\n"


def workspace(csv: str = DEALS) -> Workspace:
    ws = Workspace()
    ws.add_file(csv.encode(), "deals.csv")
    return ws


def deal_count(ws: Workspace) -> int:
    return ws.con.execute("SELECT count(*) FROM deals").fetchall()[0][0]


def test_nothing_published_yet(tmp_path: Path) -> None:
    assert snapshots.current_id(tmp_path) is None
    assert snapshots.open_current(tmp_path) is None
    assert snapshots.list_snapshots(tmp_path) == []


def test_publish_makes_a_current_snapshot_with_who_and_when(tmp_path: Path) -> None:
    published = snapshots.publish(workspace(), by="alice", by_name="Alice Martin", root=tmp_path)
    assert published.is_current and published.published_by == "alice"
    assert published.tables["deals"] == 2
    assert snapshots.current_id(tmp_path) == published.id
    manifest = json.loads((tmp_path / published.id / MANIFEST).read_text())
    assert manifest["published_by"] == "alice"
    assert manifest["published_by_name"] == "Alice Martin"
    assert manifest["published_at"].endswith("+00:00")
    assert manifest["snapshot_id"] == published.id
    assert json.loads((tmp_path / snapshots.POINTER).read_text())["id"] == published.id


def test_a_viewer_opens_the_current_snapshot_read_only(tmp_path: Path) -> None:
    snapshots.publish(workspace(), by="alice", root=tmp_path)
    snapshot, opened = snapshots.open_current(tmp_path)
    assert deal_count(opened) == 2
    assert opened.read_only
    with pytest.raises(PermissionError):
        opened.add_file(DEALS.encode(), "more.csv")
    assert snapshot == snapshots.current_id(tmp_path)


def test_a_newer_publish_changes_the_current_id(tmp_path: Path) -> None:
    first = snapshots.publish(workspace(), by="alice", root=tmp_path)
    second = snapshots.publish(workspace(MORE_DEALS), by="alice", root=tmp_path)
    assert second.id > first.id
    assert snapshots.current_id(tmp_path) == second.id
    _, opened = snapshots.open_current(tmp_path)
    assert deal_count(opened) == 3


def test_list_is_newest_first_and_flags_the_current_one(tmp_path: Path) -> None:
    ids = [snapshots.publish(workspace(), by=f"user{i}", root=tmp_path).id for i in range(3)]
    listed = snapshots.list_snapshots(tmp_path)
    assert [s.id for s in listed] == ids[::-1]
    assert [s.is_current for s in listed] == [True, False, False]
    assert [s.published_by for s in listed] == ["user2", "user1", "user0"]


def test_only_the_last_ten_are_kept(tmp_path: Path) -> None:
    ws = workspace()
    ids = [snapshots.publish(ws, by="alice", root=tmp_path).id for _ in range(12)]
    on_disk = sorted(p.name for p in tmp_path.iterdir()
                     if p.is_dir() and not p.name.startswith("."))
    assert on_disk == ids[-10:]
    assert [s.id for s in snapshots.list_snapshots(tmp_path)] == ids[-10:][::-1]


def test_restore_makes_an_earlier_snapshot_current(tmp_path: Path) -> None:
    first = snapshots.publish(workspace(), by="alice", root=tmp_path)
    snapshots.publish(workspace(MORE_DEALS), by="alice", root=tmp_path)
    restored = snapshots.restore(first.id, by="bob", root=tmp_path)
    assert restored.is_current
    assert snapshots.current_id(tmp_path) == first.id
    _, opened = snapshots.open_current(tmp_path)
    assert deal_count(opened) == 2
    assert [s.is_current for s in snapshots.list_snapshots(tmp_path)] == [False, True]


def test_a_restored_old_snapshot_survives_pruning_while_current(tmp_path: Path) -> None:
    ws = workspace()
    ids = [snapshots.publish(ws, by="alice", root=tmp_path).id for _ in range(10)]
    snapshots.restore(ids[0], by="alice", root=tmp_path)
    snapshots._prune(tmp_path, snapshots.KEEP)
    snapshots._prune(tmp_path, 5)
    assert (tmp_path / ids[0]).is_dir()
    assert snapshots.current_id(tmp_path) == ids[0]


@pytest.mark.parametrize("bad", ["", "..", "../etc", "current.json", "20250101T000000"])
def test_restore_refuses_what_is_not_a_snapshot(tmp_path: Path, bad: str) -> None:
    snapshots.publish(workspace(), by="alice", root=tmp_path)
    with pytest.raises(snapshots.SnapshotError):
        snapshots.restore(bad, by="alice", root=tmp_path)


def test_restore_of_a_pruned_snapshot_is_refused(tmp_path: Path) -> None:
    with pytest.raises(snapshots.SnapshotError, match="does not exist"):
        snapshots.restore("20200101T000000-000000-abcd", by="alice", root=tmp_path)


def test_a_failing_save_leaves_the_previous_snapshot_current(tmp_path: Path,
                                                             monkeypatch) -> None:
    first = snapshots.publish(workspace(), by="alice", root=tmp_path)
    real_write_table = snapshot_module.pq.write_table
    calls = {"n": 0}

    def disk_full(table, where, *args, **kwargs):  # the third table fails to write
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real_write_table(table, where, *args, **kwargs)

    monkeypatch.setattr(snapshot_module.pq, "write_table", disk_full)
    with pytest.raises(OSError, match="No space"):
        snapshots.publish(workspace(MORE_DEALS), by="alice", root=tmp_path)
    monkeypatch.undo()
    assert snapshots.current_id(tmp_path) == first.id
    assert [s.id for s in snapshots.list_snapshots(tmp_path)] == [first.id]
    assert leftovers(tmp_path, first.id) == []  # no half-written folder
    _, opened = snapshots.open_current(tmp_path)
    assert deal_count(opened) == 2


def leftovers(root: Path, *kept: str) -> list[str]:
    return [p.name for p in root.iterdir() if p.name not in (*kept, snapshots.POINTER, ".lock")]


def test_a_failing_pointer_update_leaves_the_previous_snapshot_current(tmp_path: Path,
                                                                       monkeypatch) -> None:
    first = snapshots.publish(workspace(), by="alice", root=tmp_path)
    real_replace = os.replace

    def pointer_fails(src, dst, *args, **kwargs):
        if Path(dst).name == snapshots.POINTER:
            raise OSError(5, "Input/output error")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", pointer_fails)
    with pytest.raises(OSError, match="Input/output"):
        snapshots.publish(workspace(MORE_DEALS), by="alice", root=tmp_path)
    monkeypatch.undo()
    assert snapshots.current_id(tmp_path) == first.id
    assert [s.id for s in snapshots.list_snapshots(tmp_path)] == [first.id]
    assert leftovers(tmp_path, first.id) == []  # new folder and temp pointer removed
    _, opened = snapshots.open_current(tmp_path)
    assert deal_count(opened) == 2


def test_a_failed_clean_up_after_publishing_keeps_the_new_snapshot(tmp_path: Path, monkeypatch) -> None:
    """Pruning is after the switch: its failure neither undoes nor fails the publish."""
    snapshots.publish(workspace(), by="alice", root=tmp_path)

    def prune_fails(*args, **kwargs):
        raise OSError(13, "Permission denied")

    monkeypatch.setattr(snapshots, "_prune", prune_fails)
    second = snapshots.publish(workspace(MORE_DEALS), by="alice", root=tmp_path)
    assert snapshots.current_id(tmp_path) == second.id
    _, opened = snapshots.open_current(tmp_path)
    assert deal_count(opened) == 3


def test_the_pointer_file_is_replaced_never_rewritten_in_place(tmp_path: Path,
                                                               monkeypatch) -> None:
    snapshots.publish(workspace(), by="alice", root=tmp_path)
    replaced: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src, dst, *args, **kwargs):
        replaced.append((Path(src).name, Path(dst).name))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", spy)
    second = snapshots.publish(workspace(), by="alice", root=tmp_path)
    assert any(dst == snapshots.POINTER and src.startswith(f".{snapshots.POINTER}-")
               for src, dst in replaced)
    assert snapshots.current_id(tmp_path) == second.id


def test_a_damaged_pointer_means_nothing_is_current(tmp_path: Path) -> None:
    snapshots.publish(workspace(), by="alice", root=tmp_path)
    (tmp_path / snapshots.POINTER).write_text("{not json")
    assert snapshots.current_id(tmp_path) is None
    (tmp_path / snapshots.POINTER).write_text(json.dumps({"id": "../../etc"}))
    assert snapshots.current_id(tmp_path) is None


def test_the_folder_comes_from_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(snapshots.ENV_VAR, str(tmp_path / "shared"))
    assert snapshots.root_dir() == tmp_path / "shared"
    published = snapshots.publish(workspace(), by="alice")
    assert (tmp_path / "shared" / published.id / MANIFEST).is_file()
    monkeypatch.delenv(snapshots.ENV_VAR)
    assert snapshots.root_dir() == snapshots.DEFAULT_ROOT
    assert snapshots.DEFAULT_ROOT.name == "workspaces"


def test_opening_a_vanished_snapshot_is_a_snapshot_error(tmp_path: Path) -> None:
    with pytest.raises(snapshots.SnapshotError):
        snapshots.open_snapshot("20200101T000000-000000-abcd", tmp_path)


def test_a_published_snapshot_keeps_the_mappings_and_currency_and_no_refused_file(
        tmp_path: Path) -> None:
    ws = workspace()
    ws.add_file(b"Code dossier,Qui,Combien,Depuis le\nR1,Ana,10,2025-01-01\n", "crm.csv",
                kind=TableKind.DEALS, mapping={"Code dossier": "deal_id", "Qui": "owner",
                                               "Combien": "amount", "Depuis le": "created_at"})
    ws.save_mapping("crm.csv")
    ws.set_mappings(Mappings(channels={"website": "website_paid"}, currency="USD"))
    with pytest.raises(UnreadableFile):
        ws.add_file(b"Nothing,Known\n1,2\n", "refused.csv")
    assert "refused.csv" in ws.refused
    published = snapshots.publish(ws, by="alice", root=tmp_path)
    assert published.tables["deals"] == 3
    _, opened = snapshots.open_current(tmp_path)
    assert opened.mappings == Mappings({"website": "website_paid"}, {}, "USD")
    assert [(s.table, s.mapping) for s in opened.saved_mappings] == [
        (TableKind.DEALS, {"Code dossier": "deal_id", "Qui": "owner", "Combien": "amount",
                           "Depuis le": "created_at"})]
    assert sorted(opened.sources) == ["crm.csv", "deals.csv"]  # the refused file is not data
    assert not opened.refused
    assert opened.con.execute("SELECT DISTINCT currency FROM deals").fetchall() == [("USD",)]
    manifest = json.loads((tmp_path / published.id / MANIFEST).read_text())
    assert manifest["mappings"]["currency"] == "USD"
    assert manifest["mappings"]["columns"][0]["headers"] == ["codedossier", "combien",
                                                             "depuisle", "qui"]


# --- issue 11 row 10: conflicts, staging leftovers, fsync before rename -------------------


def test_a_publish_started_from_an_older_snapshot_is_refused_and_says_who_won(
        tmp_path: Path) -> None:
    first = snapshots.publish(workspace(), by="alice", root=tmp_path)
    alice = snapshots.publish(workspace(MORE_DEALS), by="alice", by_name="Alice Martin",
                              root=tmp_path, started_from=first.id)
    with pytest.raises(snapshots.PublishConflict) as lost:  # Bruno's page showed `first`
        snapshots.publish(workspace(), by="bruno", root=tmp_path, started_from=first.id)
    assert lost.value.current.id == alice.id
    assert lost.value.current.published_by_name == "Alice Martin"
    assert snapshots.current_id(tmp_path) == alice.id
    assert leftovers(tmp_path, first.id, alice.id) == []
    again = snapshots.publish(workspace(), by="bruno", root=tmp_path, started_from=alice.id)
    assert snapshots.current_id(tmp_path) == again.id


def test_a_first_publish_conflicts_with_one_made_meanwhile(tmp_path: Path) -> None:
    snapshots.publish(workspace(), by="alice", root=tmp_path, started_from=None)
    with pytest.raises(snapshots.PublishConflict):
        snapshots.publish(workspace(), by="bruno", root=tmp_path, started_from=None)


def test_staging_left_by_a_killed_publish_is_removed_when_a_server_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    published = snapshots.publish(workspace(), by="alice", root=tmp_path)
    killed = [tmp_path / ".publishing-20250301T140502-123456-1a2b-x8k2",
              tmp_path / ".20250301T140502-123456-1a2b-q7w1"]  # both fresh, not an hour old
    for folder in killed:
        (folder / "nested").mkdir(parents=True)
        (folder / "nested" / "deals.parquet").write_bytes(b"half")
    (tmp_path / "drafts").mkdir()
    monkeypatch.setattr(snapshots, "_cleaned", set())  # a new server process
    assert snapshots.current_id(tmp_path) == published.id  # its first use of the folder
    assert not any(folder.exists() for folder in killed)
    assert (tmp_path / "drafts").is_dir()
    assert leftovers(tmp_path, published.id) == ["drafts"]


def test_the_start_clean_up_never_touches_a_publish_in_progress(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    running = tmp_path / ".publishing-20250301T140502-123456-1a2b-x8k2"
    running.mkdir(parents=True)
    with snapshots._locked(tmp_path):  # another thread is publishing
        snapshots.remove_leftovers(tmp_path, wait=False)
    assert running.is_dir()


def test_every_file_and_folder_is_fsynced_before_the_snapshot_is_renamed_into_place(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = files.fsync, os.replace

    def fsync(path: Path) -> None:
        events.append(("fsync", Path(path).name))
        real_fsync(path)

    def replace(src, dst, *args, **kwargs):
        events.append(("rename", Path(dst).name))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(files, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    published = snapshots.publish(workspace(), by="alice", root=tmp_path)
    into_place = events.index(("rename", published.id))
    synced = {name for kind, name in events[:into_place] if kind == "fsync"}
    written = {p.name for p in (tmp_path / published.id).iterdir()}
    assert {"deals.parquet", MANIFEST} <= written <= synced
    # the folder itself, under its staging name before the rename
    assert any(name.startswith(f".{published.id}-") for name in synced)
    assert ("fsync", tmp_path.name) in events[into_place:]  # and its parent after the rename
