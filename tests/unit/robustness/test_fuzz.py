"""Property tests: random bytes and random damage to a valid export.

Whatever the bytes, `import_file` returns or raises an `IngestError`, and its
report adds up. When only a few rows of a valid export are damaged, the rows
left untouched are kept. The bound is honest about what CSV allows:

* A damaged row may take the id of an untouched row further down (a flipped
  digit): the damaged row is kept and the untouched one becomes the duplicate.
  Each damaged row can block at most one id, so the accepted count still
  reaches the number of untouched rows.
* A quote (") inserted at the start of a field opens a quoted field that may
  run over every following line: only the rows before the first damaged row
  are then guaranteed.
* Stray NUL bytes are dropped with a note; a file made mostly of them is binary and refused.
"""

from __future__ import annotations

from datetime import date

from hostile_inputs import DEALS_HEADER, csv_bytes
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kpi.ingest import IngestError, UnreadableFile, import_file
from kpi.ingest.parse import MAX_NUMBER, decide_date_order, decide_decimal_mark
from kpi.ingest.read import MAX_NUL_SHARE, MIN_NULS_REFUSED
from kpi.schema import TableKind

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# Fewer for the two tests whose examples reach the DuckDB query with a dozen
# rows of random cells each (~50 ms an example).
FUZZ_VALUES = settings(FUZZ, max_examples=40)

STATUSES = [("won", "2024-02-{:02d}"), ("lost", "2024-03-{:02d}"), ("open", "")]
CHANNELS = ["LinkedIn", "Cold email", "Webinar", "Referral", "SEO"]


def _valid_rows(count: int = 12) -> list[list[str]]:
    rows = []
    for i in range(count):
        status, closed = STATUSES[i % 3]
        rows.append([f"F{i:03d}", f"Deal {i}", f"Rep {i % 4}", status, str(100 * (i + 1)),
                     f"2024-01-{i + 1:02d}", closed.format(i + 10) if closed else "",
                     CHANNELS[i % len(CHANNELS)]])
    return rows


VALID_ROWS = _valid_rows()
VALID = csv_bytes(VALID_ROWS)
HEADER_LINE, *ROW_LINES = VALID.rstrip(b"\n").split(b"\n")


def _check_report(result) -> None:
    report = result.report
    assert report.rows_accepted == result.table.num_rows
    assert report.rows_read == report.rows_accepted + report.rows_rejected + report.rows_dropped
    for reject in report.rejects:
        assert reject.row >= 1 and str(reject.reason).strip()


def _import(data: bytes, name: str = "fuzz.csv"):
    try:
        return import_file(data, name)
    except IngestError as exc:
        message = str(exc)
        assert message.startswith(f"{name}:") and "\n" not in message, message
        return None


def test_the_valid_export_loads_whole() -> None:
    result = import_file(VALID, "valid.csv")
    assert result.report.rows_accepted == len(VALID_ROWS) == 12
    assert result.report.table == TableKind.DEALS


# ---------------------------------------------------------------- random bytes

MAGIC = [b"", b"", b"PK\x03\x04", b"PAR1", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
         b"\xd0\xcf\x11\xe0", b"\x89PNG", HEADER_LINE + b"\n"]


@FUZZ
@given(prefix=st.sampled_from(MAGIC), body=st.binary(max_size=3000))
def test_random_bytes_never_raise_anything_but_ingest_errors(prefix: bytes, body: bytes) -> None:
    result = _import(prefix + body)
    if result is not None:
        _check_report(result)


CSV_ALPHABET = list("abcdeé€1234567890,;\t|\"' \r\n-/.:()") + ["deal_id", "amount", "owner",
                                                                "created_at", "2024-01-02"]


HEADERS = ["", ",".join(DEALS_HEADER) + "\n", "deal_id;owner;amount;created_at\r\n",
           "Report title\n\ndeal_id\towner\tamount\tcreated_at\n"]


@FUZZ_VALUES
@given(header=st.sampled_from(HEADERS), parts=st.lists(st.sampled_from(CSV_ALPHABET), max_size=400),
       encoding=st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_random_delimited_text_never_raises_anything_but_ingest_errors(
        header: str, parts: list[str], encoding: str) -> None:
    result = _import((header + "".join(parts)).encode(encoding, "replace"))
    if result is not None:
        _check_report(result)


# ---------------------------------------------------------------- damaged exports

INSERTS = [b",", b";", b"\t", b"|", b'"', b'""', b"\r", b"\n", b",,,", b"\xe9", b"\x81", b" "]


@st.composite
def damaged_export(draw) -> tuple[bytes, list[int], set[int]]:
    """The valid export with 1-3 data rows damaged; (bytes, damaged indexes, quoted ones)."""
    targets = draw(st.lists(st.integers(0, len(ROW_LINES) - 1), min_size=1, max_size=3,
                            unique=True))
    rows = list(ROW_LINES)
    for index in targets:
        row = rows[index]
        for _ in range(draw(st.integers(1, 3))):
            position = draw(st.integers(0, len(row)))
            operation = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
            if operation == "flip" and position < len(row):
                byte = draw(st.integers(0, 255))
                row = row[:position] + bytes([byte]) + row[position + 1:]
            elif operation == "truncate":
                row = row[:position]
            elif operation == "insert":
                row = row[:position] + draw(st.sampled_from(INSERTS)) + row[position:]
            else:
                row = row[:position] + row[position + 1:]
        rows[index] = row
    data = b"\n".join([HEADER_LINE, *rows]) + b"\n"
    quoted = {i for i in targets if b'"' in rows[i]}
    return data, sorted(targets), quoted


@FUZZ
@given(damaged_export())
def test_damaged_rows_never_cost_the_untouched_ones(case) -> None:
    data, targets, quoted = case
    nuls = data.count(b"\x00")
    try:
        result = import_file(data, "damaged.csv")
    except UnreadableFile as exc:
        assert nuls > max(MIN_NULS_REFUSED, MAX_NUL_SHARE * len(data)), f"refused without a binary share of NULs: {exc}"
        assert "NUL" in str(exc) and str(exc).startswith("damaged.csv:")
        return
    if nuls:  # stray NULs are dropped, and the report says how many
        assert any(note.code == "msg.note.nul_removed" and note.params["count"] == nuls
                   for note in result.report.notes), result.report.notes
    _check_report(result)
    accepted = result.report.rows_accepted
    untouched = len(ROW_LINES) - len(targets)
    if quoted:
        assert accepted >= targets[0], (accepted, targets, result.report.rejects)
    else:
        assert accepted >= untouched, (accepted, targets, result.report.rejects)
    # The untouched rows before the first damaged one are kept exactly.
    kept = {row["deal_id"]: row for row in result.table.to_pylist()}
    for original in VALID_ROWS[: targets[0]]:
        row = kept[original[0]]
        assert row["amount"] == float(original[4])
        assert row["created_at"] == date.fromisoformat(original[5])


# ---------------------------------------------------------------- value parsers

CELL = st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
               max_size=40)
NUMBERISH = st.one_of(CELL, st.from_regex(r"[-+(]?[0-9 .,'\u202f]{1,25}[)€$]?", fullmatch=True),
                      st.floats(allow_nan=True, allow_infinity=True).map(repr),
                      st.sampled_from(["1e309", "-1e309", "nan", "inf", "1e15", "-1e15",
                                       "999999999999999", "(1 200,50 €)", "1.234.567,89"]))
DATEISH = st.one_of(CELL, st.from_regex(r"[0-9]{1,5}[-/.][0-9]{1,3}[-/.][0-9]{1,5}( [0-9:]{1,8})?",
                                        fullmatch=True),
                    st.dates().map(str), st.sampled_from(["45352", "0000-00-00", "9999-99-99"]))


@FUZZ_VALUES
@given(amounts=st.lists(NUMBERISH, min_size=1, max_size=12),
       dates=st.lists(DATEISH, min_size=1, max_size=12))
def test_value_parsers_accept_or_reject_with_a_reason(amounts: list[str], dates: list[str]) -> None:
    count = 12
    rows = [[f"V{i}", "Name", "Ann", "open", amounts[i % len(amounts)],
             dates[i % len(dates)], "", "Webinar"] for i in range(count)]
    result = _import(csv_bytes(rows))
    assume(result is not None)  # a cell may hold a NUL-free but binary-looking value
    _check_report(result)
    for row in result.table.to_pylist():
        assert abs(row["amount"]) < MAX_NUMBER  # finite, plausible
        assert 1970 <= row["created_at"].year <= 2100
    for reject in result.report.rejects:
        assert reject.column in DEALS_HEADER or reject.column is None, reject


@FUZZ
@given(values=st.lists(CELL, max_size=30), hint=st.sampled_from(["DMY", "MDY", ",", "."]))
def test_decisions_never_fail(values: list[str], hint: str) -> None:
    dates = decide_date_order(values, hint if hint in ("DMY", "MDY") else "DMY", "a hint")
    assert dates.value in ("DMY", "MDY", "YMD") and str(dates.note)
    marks = decide_decimal_mark(values, hint if hint in (",", ".") else ".", "a hint")
    assert marks.value in (",", ".") and str(marks.note)
