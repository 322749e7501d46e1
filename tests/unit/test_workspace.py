"""The workspace's storage: rows inserted inside DuckDB, ENUM columns, kept uploads.

Expected values are written by hand from the small files below.
"""

from __future__ import annotations

import gc

import pytest

import kpi.workspace as workspace_module
from kpi.ingest import Mappings, UnreadableFile
from kpi.schema import CHANNELS, STATUSES, TableKind
from kpi.workspace import Workspace

DEALS = (
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "D-1,Alice,won,1000,2025-01-02,2025-02-01,LinkedIn\n"
    "D-2,Bob,lost,500,2025-01-03,2025-02-05,Carrier pigeon\n"
    "D-3,Alice,open,250,2025-01-04,,  Cold email  \n"
)
# D-2 and D-3 are already held by DEALS; D-4 is new.
OVERLAP = (
    "deal_id,owner,status,amount,created_at,closed_at,channel\n"
    "D-2,Carol,won,9,2025-01-03,2025-02-05,LinkedIn\n"
    "D-4,Carol,won,700,2025-01-05,2025-03-01,LinkedIn\n"
    "D-3,Carol,won,9,2025-01-04,2025-03-01,LinkedIn\n"
)


def rows(ws: Workspace, sql: str) -> list[tuple]:
    return ws.con.execute(sql).fetchall()


def temp_tables(ws: Workspace) -> int:
    return rows(ws, "SELECT count(*) FROM duckdb_tables() WHERE temporary")[0][0]


@pytest.fixture
def ws():
    workspace = Workspace()
    workspace.add_file(DEALS.encode(), "deals.csv")
    yield workspace
    workspace.close()


def test_rows_are_typed_and_channel_and_status_are_enums(ws: Workspace) -> None:
    assert rows(ws, "SELECT deal_id, owner, channel, status, amount, CAST(closed_at AS VARCHAR) "
                    "FROM deals ORDER BY deal_id") == [
        ("D-1", "Alice", "linkedin", "won", 1000.0, "2025-02-01"),
        ("D-2", "Bob", "other", "lost", 500.0, "2025-02-05"),
        ("D-3", "Alice", "cold_email", "open", 250.0, None),
    ]
    types = dict(rows(ws, "SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_name = 'deals'"))
    assert types["channel"] == "ENUM(" + ", ".join(f"'{c}'" for c in CHANNELS) + ")"
    assert types["status"] == "ENUM(" + ", ".join(f"'{s}'" for s in STATUSES) + ")"
    assert types["owner"] == "VARCHAR"
    # Compared with text (as the metrics do, with parameters) they behave as text.
    assert rows(ws, "SELECT count(*) FROM deals WHERE status = 'won'") == [(1,)]
    assert ws.con.execute("SELECT count(*) FROM deals WHERE list_contains(?, channel)",
                          [["linkedin", "other"]]).fetchall() == [(2,)]


def test_nothing_is_left_behind_by_a_refused_file(ws: Workspace) -> None:
    assert temp_tables(ws) == 0
    with pytest.raises(UnreadableFile):
        ws.add_file(b"nothing,we,know\n1,2,3\n", "mystery.csv")
    assert temp_tables(ws) == 0


def test_every_session_connection_has_the_configured_threads_and_ceiling(ws: Workspace) -> None:
    assert rows(ws, "SELECT current_setting('threads')") == [(2,)]
    # "2GB" is 2 * 10^9 bytes, which DuckDB shows as 1.8 GiB.
    assert rows(ws, "SELECT current_setting('memory_limit')") == [("1.8 GiB",)]


def test_ids_held_by_another_file_are_rejected_and_the_first_file_wins(ws: Workspace) -> None:
    report = ws.add_file(OVERLAP.encode(), "overlap.csv")
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 1, 2)
    assert [(r.row, r.column, r.value) for r in report.rejects] == [
        (2, "deal_id", "D-2"), (4, "deal_id", "D-3")]
    assert all("already loaded from another file" in r.reason for r in report.rejects)
    assert rows(ws, "SELECT deal_id, owner, source_file FROM deals ORDER BY deal_id") == [
        ("D-1", "Alice", "deals.csv"), ("D-2", "Bob", "deals.csv"),
        ("D-3", "Alice", "deals.csv"), ("D-4", "Carol", "overlap.csv")]
    assert temp_tables(ws) == 0


def test_the_list_of_ids_held_elsewhere_is_capped(ws: Workspace, monkeypatch) -> None:
    monkeypatch.setattr(workspace_module, "MAX_REJECTS_LISTED", 1)
    report = ws.add_file(OVERLAP.encode(), "overlap.csv")
    assert report.rows_rejected == 2
    assert [r.row for r in report.rejects] == [2]
    assert "Only the first 1 rejected rows are listed." in report.notes


def test_a_failing_insert_changes_nothing(ws: Workspace, monkeypatch) -> None:
    def broken(*args, **kwargs) -> None:
        raise RuntimeError("boom")

    before = rows(ws, "SELECT * FROM deals ORDER BY deal_id")
    monkeypatch.setattr(Workspace, "_reject_taken", staticmethod(broken))
    with pytest.raises(RuntimeError):
        ws.add_file(OVERLAP.encode(), "overlap.csv")
    assert rows(ws, "SELECT * FROM deals ORDER BY deal_id") == before
    assert list(ws.sources) == ["deals.csv"]
    assert temp_tables(ws) == 0


def test_the_upload_is_kept_out_of_memory_and_read_back_for_a_remap(ws: Workspace) -> None:
    source = ws.sources["deals.csv"]
    assert source.data == DEALS.encode()
    gc.collect()
    ws.set_mappings(Mappings(channels={"Carrier pigeon": "referral"}))
    assert rows(ws, "SELECT channel FROM deals WHERE deal_id = 'D-2'") == [("referral",)]
    assert ws.mappings.channels == {"Carrier pigeon": "referral"}
    assert temp_tables(ws) == 0


def test_replace_and_remove_forget_the_kept_upload(ws: Workspace) -> None:
    old = ws.sources["deals.csv"]
    ws.add_file(OVERLAP.encode(), "deals.csv", replace=True)
    assert old.data == b""
    assert ws.sources["deals.csv"].data == OVERLAP.encode()
    assert rows(ws, "SELECT count(*) FROM deals") == [(3,)]
    kept = ws.sources["deals.csv"]
    ws.remove_file("deals.csv")
    assert kept.data == b""
    assert not ws.sources
    assert ws.row_counts()[TableKind.DEALS.value] == 0


def test_a_mapping_edit_reimports_with_a_column_mapping(ws: Workspace) -> None:
    source = ws.sources["deals.csv"]
    mapping = {**ws.reports[0].mapping}
    del mapping["channel"]
    ws.add_file(source.data, "deals.csv", kind=TableKind.DEALS, mapping=mapping, replace=True)
    assert rows(ws, "SELECT DISTINCT channel FROM deals") == [("unknown",)]


def test_a_snapshot_keeps_the_enum_values(ws: Workspace, tmp_path) -> None:
    ws.save(tmp_path / "snap")
    opened = Workspace.open(tmp_path / "snap")
    assert rows(opened, "SELECT deal_id, channel, status FROM deals ORDER BY deal_id") == [
        ("D-1", "linkedin", "won"), ("D-2", "other", "lost"), ("D-3", "cold_email", "open")]
    assert opened.sources["deals.csv"].data == b""
    opened.close()


def test_a_one_shot_workspace_keeps_no_upload_and_gives_the_same_rows(ws: Workspace) -> None:
    once = Workspace(one_shot=True)
    once.add_file(DEALS.encode(), "deals.csv")
    assert once.sources["deals.csv"].data == b""
    query = "SELECT * FROM deals ORDER BY deal_id"
    assert rows(once, query) == rows(ws, query)
    once.close()


class _FullDisk:
    """A temp file on a full disk: every write fails as the OS would say it."""

    closed = False

    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")

    def close(self) -> None:
        self.closed = True


@pytest.mark.parametrize("failure", ["write", "create"])
def test_an_upload_that_cannot_be_kept_on_disk_stays_in_memory_for_a_remap(
        monkeypatch, caplog, failure: str) -> None:
    files: list[_FullDisk] = []

    def temporary_file() -> _FullDisk:
        if failure == "create":
            raise OSError(28, "No space left on device")
        files.append(_FullDisk())
        return files[-1]

    monkeypatch.setattr(workspace_module.tempfile, "TemporaryFile", temporary_file)
    workspace = Workspace()
    report = workspace.add_file(DEALS.encode(), "deals.csv")
    assert report.rows_accepted == 3
    assert all(f.closed for f in files)
    assert workspace.sources["deals.csv"].data == DEALS.encode()
    assert "deals.csv: the upload is kept in memory" in caplog.text
    workspace.set_mappings(Mappings(channels={"Carrier pigeon": "referral"}))
    assert rows(workspace, "SELECT deal_id, channel FROM deals ORDER BY deal_id") == [
        ("D-1", "linkedin"), ("D-2", "referral"), ("D-3", "cold_email")]
    kept = workspace.sources["deals.csv"]
    workspace.remove_file("deals.csv")
    assert kept.data == b""
    workspace.close()
