"""Every hostile input through `import_file`: a clear refusal naming the file,
or rejected rows naming the line and column, and never another exception."""

from __future__ import annotations

import pytest
from hostile_inputs import HOSTILE, Hostile, hostile_params, one_line

from kpi.ingest import IngestError, UnreadableFile, import_file
from kpi.ingest import read as read_module
from kpi.messages import msg, render, render_all

MAX_MESSAGE = 600  # a sentence, not a dump of the file


def _check_names(hostile: Hostile, message: str) -> None:
    assert message.startswith(f"{hostile.name}:"), message
    assert one_line(message), repr(message)
    assert len(message) <= MAX_MESSAGE, f"{len(message)} characters: {message[:200]}…"
    for fragment in hostile.says:
        assert fragment.lower() in message.lower(), (fragment, message)


@pytest.mark.parametrize("hostile", hostile_params(refused=True))
def test_unusable_files_are_refused_with_a_sentence_naming_the_file(hostile: Hostile) -> None:
    with pytest.raises(UnreadableFile) as caught:
        import_file(hostile.data(), hostile.name)
    _check_names(hostile, str(caught.value))


@pytest.mark.parametrize("hostile", hostile_params(refused=False))
def test_broken_rows_are_rejected_and_good_rows_kept(hostile: Hostile) -> None:
    result = import_file(hostile.data(), hostile.name)
    report = result.report
    assert report.rows_accepted == result.table.num_rows == hostile.accepted
    assert report.rows_read == report.rows_accepted + report.rows_rejected + report.rows_dropped
    rejected = {r.row: r for r in report.rejects}
    assert set(rejected) == set(hostile.rejected_lines), report.rejects
    for line, column in hostile.rejected_lines.items():
        reject = rejected[line]
        reason = render(reject.reason)
        assert reason.strip()
        assert len(reason) <= MAX_MESSAGE
        if column:
            assert reject.column == column or column in reason, reject


def test_the_catalogue_covers_both_outcomes() -> None:
    assert {h.refused for h in HOSTILE} == {True, False}
    assert len({h.id for h in HOSTILE}) == len(HOSTILE)


def test_unreadable_file_is_an_ingest_error() -> None:
    assert issubclass(UnreadableFile, IngestError)


def test_a_message_with_line_breaks_is_folded_to_one_line() -> None:
    error = UnreadableFile(msg("file.bad_csv", file="export.csv", error="first\nsecond\r\nthird"))
    assert str(error) == "export.csv: the file cannot be read as CSV (first second third)."


# ---------------------------------------------------------------- refusal details


def test_header_only_file_has_no_rows_and_says_so() -> None:
    result = import_file(b"deal_id,owner,amount,created_at", "header.csv")  # no newline at all
    assert result.table.num_rows == 0
    assert result.report.notes == [msg("note.no_rows")]


@pytest.mark.parametrize("ending", [b"\r", b"\r\n", b"\n"])
def test_header_only_with_any_line_ending(ending: bytes) -> None:
    result = import_file(b"deal_id,owner,amount,created_at" + ending, "header.csv")
    assert result.table.num_rows == 0


def test_unknown_headers_never_get_a_silent_guess() -> None:
    data = b"Colonne A;Colonne B;Colonne C\n1;2;3\n"
    with pytest.raises(UnreadableFile, match="no column was recognised"):
        import_file(data, "mystery.csv")


def test_long_headers_are_cut_in_the_message() -> None:
    header = ",".join("h" * 50_000 + str(i) for i in range(10))
    with pytest.raises(UnreadableFile) as caught:
        import_file(f"{header}\n1,2\n".encode(), "long.csv")
    assert len(str(caught.value)) <= MAX_MESSAGE


def test_stray_nul_bytes_are_dropped_and_the_note_names_the_line() -> None:
    result = import_file(b"deal_id,owner,amount,created_at\nD1,A\x00n,1,2024-01-01\n", "nul.csv")
    assert result.table.column("owner").to_pylist() == ["An"]
    assert ("1 stray NUL byte(s) were removed (the first on line 2)."
            in render_all(result.report.notes))


def test_a_file_made_mostly_of_nul_bytes_is_refused_naming_the_line() -> None:
    with pytest.raises(UnreadableFile, match=r"line 2\b"):
        import_file(b"deal_id,owner,amount,created_at\nD1,A" + b"\x00" * 40 + b"n,1,2024-01-01\n",
                    "nul.csv")


def test_xlsx_archive_bomb_is_refused_before_it_is_inflated(monkeypatch) -> None:
    """A workbook whose sheets inflate past the ceiling is refused from the ZIP directory."""
    from hostile_inputs import xlsx_bytes

    def build(workbook) -> None:
        sheet = workbook.add_worksheet("Deals")
        sheet.write_row(0, 0, ["Deal ID", "Deal owner", "Amount", "Create Date"])
        for row in range(1, 2000):
            sheet.write_row(row, 0, [f"B{row}", "Ann", 1, "2024-01-01"])

    data = xlsx_bytes(build)
    monkeypatch.setattr(read_module, "BUDGET", read_module.Budget(bytes=50_000, cells=10**9))
    with pytest.raises(UnreadableFile, match="too large once uncompressed"):
        import_file(data, "bomb.xlsx")


def test_parquet_bomb_is_refused_from_its_metadata(monkeypatch) -> None:
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(pa.table({"deal_id": ["D"] * 50_000, "owner": ["A"] * 50_000,
                             "amount": ["1"] * 50_000, "created_at": ["2024-01-01"] * 50_000}),
                   buffer)
    monkeypatch.setattr(read_module, "BUDGET", read_module.Budget(bytes=1 << 30, cells=100_000))
    with pytest.raises(UnreadableFile, match="too large once uncompressed"):
        import_file(buffer.getvalue(), "bomb.parquet")
