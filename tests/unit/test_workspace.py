"""The workspace's storage: rows inserted inside DuckDB, ENUM columns, kept uploads.

Expected values are written by hand from the small files below.
"""

from __future__ import annotations

import gc

import pytest

import kpi.ingest.duplicates as duplicates_module
import kpi.workspace.uploads as uploads_module
from kpi.ingest import Mappings, UnreadableFile, all_rejected_message, dominant_reject
from kpi.messages import field_label, msg, render, render_all
from kpi.schema import CHANNELS, STATUSES, RejectedRow, TableKind
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
    assert all(r.reason == msg("reject.duplicate_loaded", field=field_label("deal_id"))
               for r in report.rejects)
    assert str(report.rejects[0].reason) == (
        "duplicate Deal ID: already loaded from another file (first one kept)")
    assert rows(ws, "SELECT deal_id, owner, source_file FROM deals ORDER BY deal_id") == [
        ("D-1", "Alice", "deals.csv"), ("D-2", "Bob", "deals.csv"),
        ("D-3", "Alice", "deals.csv"), ("D-4", "Carol", "overlap.csv")]
    assert temp_tables(ws) == 0


def test_the_list_of_ids_held_elsewhere_is_capped(ws: Workspace, monkeypatch) -> None:
    monkeypatch.setattr(duplicates_module, "MAX_REJECTS_LISTED", 1)
    report = ws.add_file(OVERLAP.encode(), "overlap.csv")
    assert report.rows_rejected == 2
    assert [r.row for r in report.rejects] == [2]
    assert "Only the first 1 rejected rows are listed." in render_all(report.notes)


def test_a_failing_insert_changes_nothing(ws: Workspace, monkeypatch) -> None:
    def broken(*args, **kwargs) -> None:
        raise RuntimeError("boom")

    before = rows(ws, "SELECT * FROM deals ORDER BY deal_id")
    monkeypatch.setattr(duplicates_module, "_reject_taken", broken)
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

    monkeypatch.setattr(uploads_module.tempfile, "TemporaryFile", temporary_file)
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


# --- refused files, saved mappings, the workspace currency, the demo --------

# Headers no dialect knows: refused, then mapped by hand. Won revenue by hand:
# R1 (1,000) and R4 (250) are signed (won); R2 is lost, R3 open.
UNKNOWN = (
    "Code dossier,Qui,Combien,Depuis le,Verdict,Fini le\n"
    "R1,Ana,1000,2025-01-05,Signé,2025-02-01\n"
    "R2,Ana,500,2025-01-06,Perdu,2025-02-03\n"
    "R3,Bob,700,2025-01-07,En cours,\n"
    "R4,Bob,250,2025-01-08,Signé,2025-03-01\n"
).encode()
BY_HAND = {"Code dossier": "deal_id", "Qui": "owner", "Combien": "amount", "Depuis le": "created_at",
           "Verdict": "status", "Fini le": "closed_at"}
# The same export with its columns in another order and another case.
REORDERED = (
    "VERDICT,code dossier,Combien,Qui,Fini le,Depuis le\n"
    "Signé,S1,300,Cleo,2025-04-02,2025-04-01\n"
    "Perdu,S2,80,Cleo,2025-04-03,2025-04-01\n"
).encode()
# Every row rejected: two unreadable dates (the most frequent reason), one bad amount.
ALL_REJECTED = (
    b"deal_id,owner,status,amount,created_at\n"
    b"X1,Ann,open,100,not a date\n"
    b"X2,Ann,open,200,never\n"
    b"X3,Bob,open,abc,2025-01-01\n"
)


def won_revenue(ws: Workspace) -> float:
    return rows(ws, "SELECT coalesce(sum(amount), 0) FROM deals WHERE status = 'won'")[0][0]


def refuse(ws: Workspace, data: bytes = UNKNOWN, name: str = "crm.csv") -> UnreadableFile:
    with pytest.raises(UnreadableFile) as caught:
        ws.add_file(data, name)
    return caught.value


def test_a_refused_file_is_remembered_with_its_bytes_and_counts_no_row(ws: Workspace) -> None:
    before = ws.row_counts()
    error = refuse(ws)
    refused = ws.refused["crm.csv"]
    assert refused.data == UNKNOWN
    assert refused.report.error == error.message
    assert [c.source for c in refused.report.columns] == list(BY_HAND)
    assert "crm.csv" not in ws.sources
    assert [r.file for r in ws.reports] == ["deals.csv"]
    assert ws.row_counts() == before
    assert temp_tables(ws) == 0


def test_applying_a_mapping_to_a_refused_file_loads_it(ws: Workspace) -> None:
    refuse(ws)
    report = ws.add_file(ws.refused["crm.csv"].data, "crm.csv", kind=TableKind.DEALS,
                         mapping=BY_HAND, replace=True)
    assert (report.rows_accepted, report.rows_rejected) == (4, 0)
    assert not ws.refused
    assert list(ws.sources) == ["deals.csv", "crm.csv"]
    assert ws.sources["crm.csv"].data == UNKNOWN
    assert won_revenue(ws) == 1000 + 1000 + 250  # D-1 of deals.csv, R1 and R4


def test_a_failed_apply_keeps_the_refused_file_with_the_new_error(ws: Workspace) -> None:
    first = refuse(ws)
    partial = {"Code dossier": "deal_id", "Qui": "owner"}
    with pytest.raises(UnreadableFile) as caught:
        ws.add_file(UNKNOWN, "crm.csv", kind=TableKind.DEALS, mapping=partial, replace=True)
    report = ws.refused["crm.csv"].report
    assert report.error == caught.value.message != first.message
    assert field_label("created_at") in report.error.params["fields"]
    assert report.mapping == partial
    assert ws.row_counts()["deals"] == 3


def test_remove_and_clear_forget_a_refused_file(ws: Workspace) -> None:
    refuse(ws)
    kept = ws.refused["crm.csv"]
    ws.remove_file("crm.csv")
    assert not ws.refused and kept.data == b""
    assert ws.row_counts()["deals"] == 3  # the loaded file is untouched
    refuse(ws)
    ws.clear()
    assert not ws.refused and not ws.sources


def test_a_failed_remap_of_a_loaded_file_keeps_it_loaded(ws: Workspace) -> None:
    with pytest.raises(UnreadableFile):
        ws.add_file(DEALS.encode(), "deals.csv", kind=TableKind.DEALS,
                    mapping={"deal_id": "deal_id"}, replace=True)
    assert not ws.refused
    assert ws.sources["deals.csv"].report.rows_accepted == 3
    assert ws.row_counts()["deals"] == 3


def test_a_new_try_of_a_refused_file_replaces_its_panel(ws: Workspace) -> None:
    refuse(ws)
    refuse(ws, UNKNOWN.replace(b"R4", b"R5"))
    assert list(ws.refused) == ["crm.csv"]
    assert b"R5" in ws.refused["crm.csv"].data


def test_a_saved_mapping_reads_a_file_with_the_same_headers_in_another_order() -> None:
    ws = Workspace()
    ws.add_file(UNKNOWN, "january.csv", kind=TableKind.DEALS, mapping=BY_HAND)
    saved = ws.save_mapping("january.csv")
    assert saved.table is TableKind.DEALS
    assert saved.headers == ["codedossier", "combien", "depuisle", "finile", "qui", "verdict"]
    report = ws.add_file(REORDERED, "april.csv")
    assert (report.table, report.rows_accepted) == (TableKind.DEALS, 2)
    assert report.mapping == {"VERDICT": "status", "code dossier": "deal_id", "Combien": "amount",
                              "Qui": "owner", "Fini le": "closed_at",
                              "Depuis le": "created_at"}
    assert ("Columns read with the mapping saved for files with these headers."
            in render_all(report.notes))
    assert won_revenue(ws) == 1000 + 250 + 300
    # A later re-import (a value mapping edit) keeps reading it that way.
    ws.set_mappings(Mappings(statuses={"Perdu": "won"}))
    assert won_revenue(ws) == 1000 + 250 + 500 + 300 + 80
    assert not ws.refused
    ws.close()


def test_a_saved_mapping_does_not_touch_files_with_other_headers(ws: Workspace) -> None:
    ws.add_file(UNKNOWN, "crm.csv", kind=TableKind.DEALS, mapping=BY_HAND)
    ws.save_mapping("crm.csv")
    report = ws.add_file(OVERLAP.replace("D-2", "D-9").replace("D-3", "D-8").encode(), "more.csv")
    assert msg("note.saved_mapping") not in report.notes
    assert report.rows_accepted == 3


def test_column_overrides_map_a_header_in_every_file_that_has_it() -> None:
    ws = Workspace(one_shot=True)
    ws.column_overrides = BY_HAND
    report = ws.add_file(UNKNOWN, "crm.csv")
    assert (report.table, report.rows_accepted, report.mapping) == (TableKind.DEALS, 4, BY_HAND)
    assert won_revenue(ws) == 1250
    ws.close()


def test_the_workspace_currency_applies_to_amounts_without_one(ws: Workspace) -> None:
    assert rows(ws, "SELECT DISTINCT currency FROM deals") == [("EUR",)]
    ws.set_mappings(Mappings(currency="USD"))
    assert rows(ws, "SELECT DISTINCT currency FROM deals") == [("USD",)]


def test_a_snapshot_keeps_saved_mappings_value_mappings_and_currency(tmp_path) -> None:
    ws = Workspace()
    ws.add_file(UNKNOWN, "crm.csv", kind=TableKind.DEALS, mapping=BY_HAND)
    ws.save_mapping("crm.csv")
    ws.set_mappings(Mappings(channels={"Pigeon": "referral"}, statuses={"Perdu": "lost"},
                             currency="CHF"))
    ws.save(tmp_path / "snap")
    opened = Workspace.open(tmp_path / "snap", read_only=False)
    assert opened.saved_mappings == ws.saved_mappings
    assert opened.mappings == Mappings({"Pigeon": "referral"}, {"Perdu": "lost"}, "CHF")
    # The saved mapping works in the opened workspace too.
    assert opened.add_file(REORDERED, "april.csv").rows_accepted == 2
    ws.close()
    opened.close()


@pytest.fixture
def demo(tmp_path) -> Workspace:
    """A workspace on a one-file demo (the real load_demo, a small folder)."""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "deals.csv").write_text(DEALS)
    workspace = Workspace()
    workspace.load_demo(folder)
    assert workspace.is_demo and list(workspace.sources) == ["demo/deals.csv"]
    yield workspace
    workspace.close()


def test_the_first_upload_puts_the_demo_away(demo: Workspace, tmp_path) -> None:
    demo_file = demo.sources["demo/deals.csv"]
    report = demo.add_file(UNKNOWN, "crm.csv", kind=TableKind.DEALS, mapping=BY_HAND)
    assert report.rows_accepted == 4
    assert (demo.is_demo, demo.demo_replaced) == (False, True)
    assert list(demo.sources) == ["crm.csv"]
    assert demo_file.data == b""
    assert rows(demo, "SELECT DISTINCT source_file FROM deals") == [("crm.csv",)]
    assert won_revenue(demo) == 1250  # R1 + R4 only: nothing of the demo is blended in
    demo.add_file(REORDERED, "april.csv", kind=TableKind.DEALS,
                  mapping=dict(zip(["VERDICT", "code dossier", "Combien", "Qui", "Fini le", "Depuis le"],
                                   ["status", "deal_id", "amount", "owner", "closed_at",
                                    "created_at"], strict=True)))
    assert won_revenue(demo) == 1250 + 300  # a second file adds to the first, as usual
    demo.load_demo(tmp_path / "demo")  # "Back to the demo"
    assert (demo.is_demo, demo.demo_replaced) == (True, False)
    assert list(demo.sources) == ["demo/deals.csv"]
    assert won_revenue(demo) == 1000


@pytest.mark.parametrize("data", [UNKNOWN, b"\x89PNG\r\n\x1a\n" + bytes(16)],
                         ids=["refused", "not-a-table"])
def test_the_demo_stays_when_the_upload_is_refused(demo: Workspace, data: bytes) -> None:
    before = rows(demo, "SELECT * FROM deals ORDER BY deal_id")
    refuse(demo, data, "mine.csv")
    assert demo.is_demo and not demo.demo_replaced
    assert rows(demo, "SELECT * FROM deals ORDER BY deal_id") == before


def test_the_demo_stays_when_every_row_of_the_upload_is_rejected(demo: Workspace) -> None:
    before = rows(demo, "SELECT * FROM deals ORDER BY deal_id")
    report = demo.add_file(ALL_REJECTED, "mine.csv")
    assert (report.rows_accepted, report.rows_rejected) == (0, 3)
    assert dominant_reject(report) == RejectedRow(
        row=2, column="created_at", value="not a date",
        reason=msg("reject.unreadable", what=msg("value.date")))
    assert render(all_rejected_message(report)) == (
        "mine.csv: every row was rejected (3 rows); most often: cannot read this as a date "
        "(column created_at, e.g. 'not a date')")
    assert render(all_rejected_message(report), "fr") == (
        "mine.csv : toutes les lignes ont été rejetées (3 lignes) ; le plus souvent : "
        "impossible de lire cette valeur comme une date (colonne created_at, p. ex. "
        "'not a date')")
    assert demo.is_demo and not demo.demo_replaced
    assert rows(demo, "SELECT * FROM deals ORDER BY deal_id") == before
    assert rows(demo, "SELECT * FROM deals ORDER BY deal_id") == before
