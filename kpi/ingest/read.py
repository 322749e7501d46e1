"""Bytes -> a table of text cells, whatever the file format and dialect.

Every format ends as a `RawTable`: a pyarrow table whose columns are the
file's headers and whose cells are strings, plus what was chosen to read it
(encoding, delimiter, header line). Types are decided later, per column, from
the values (`kpi.ingest.parse`), so the same code types CSV, XLSX and Parquet.

CSV goes through pyarrow's multi-threaded reader; only the head and the tail
of the file are looked at in Python (header row, delimiter, footer).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kpi.ingest.errors import UnreadableFile
from kpi.ingest.fold import fold
from kpi.ingest.vocabulary import is_known_header

HEAD_BYTES = 64 * 1024
TAIL_BYTES = 16 * 1024
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
FOOTER_STARTS = ("grandtotal", "total", "confidential", "copyright", "generatedby", "sousotal")

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"Rar!": "a RAR archive",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or an encrypted .xlsx


@dataclass
class RawTable:
    """The cells of one file as text, and how they were read."""

    table: pa.Table
    header_row: int  # 1-based line (CSV) or sheet row (XLSX) of the header
    row_numbers: pa.Array | None = None  # 1-based line of each data row; None = consecutive
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    file_format: str = "csv"
    notes: list[str] = field(default_factory=list)
    broken_rows: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)

    def line_of(self, index: int) -> int:
        """1-based line in the file of data row `index` (0-based)."""
        if self.row_numbers is not None:
            return int(self.row_numbers[index].as_py())
        return self.header_row + 1 + index


def read_raw(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read any supported file into text cells; `UnreadableFile` when it can't be used."""
    if not data or not data.strip():
        raise UnreadableFile(f"{file_name}: the file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, file_name, sheet)
    if data.startswith(b"PAR1"):
        return read_parquet(data, file_name)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile(
            f"{file_name}: this is an old .xls or a password-protected Excel file; "
            "save it as .xlsx (without password) or CSV and upload it again."
        )
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(f"{file_name}: this is {what}, not a CRM export (CSV, XLSX).")
    return read_csv(data, file_name)


# --------------------------------------------------------------------------
# CSV / TSV
# --------------------------------------------------------------------------


def _to_utf8(data: bytes) -> tuple[bytes, str]:
    """Bytes pyarrow can read as UTF-8, and the encoding they came in.

    UTF-16 is transcoded here (rare and small); cp1252 is left to pyarrow's
    streaming transcoder so a large French export is never copied in Python.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16").encode("utf-8"), "utf-16"
    head = data[:HEAD_BYTES]
    try:
        head.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the very end of the sample is not evidence.
        if exc.start >= len(head) - 3 and len(data) > len(head):
            return data, "utf-8"
        return data, "cp1252"


def _decode(chunk: bytes, encoding: str) -> str:
    return chunk.decode("utf-8" if encoding in ("utf-8-sig", "utf-16") else encoding, "replace")


def _find_header(rows: list[list[str]]) -> tuple[int, int]:
    """(index, score) of the row that looks most like a header.

    The score counts cells that are known export headers; title rows above the
    header (Salesforce, spreadsheet reports) score lower and are skipped.
    """
    best_index, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = sum(1 for cell in row if cell and is_known_header(cell))
        if score > best_score:
            best_index, best_score = index, score
    if best_index < 0:
        # Nothing recognised: the first row with several non-empty cells is the
        # header, and the user maps its columns by hand.
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if sum(1 for cell in row if cell.strip()) >= 2:
                return index, 0
        return 0, 0
    return best_index, best_score


def _head_lines(text: str) -> list[str]:
    lines = text.splitlines()
    return lines[:-1] if len(lines) > 1 else lines  # the last one may be cut


def _sniff(head_text: str) -> tuple[str, int, list[str]]:
    """(delimiter, header line index, header cells) from the start of the file."""
    lines = _head_lines(head_text)[:HEADER_SEARCH_ROWS]
    best: tuple[int, int, str, int, list[str]] | None = None
    for delimiter in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=delimiter))
        index, score = _find_header(rows)
        header = rows[index] if rows else []
        width = len(header)
        rank = (score, width if width > 1 else 0)
        if best is None or rank > best[:2]:
            best = (*rank, delimiter, index, header)
    assert best is not None
    _, width, delimiter, index, header = best
    if width <= 1 and best[0] == 0:
        return ",", index, header
    return delimiter, index, header


def _footer_start(data: bytes, encoding: str, delimiter: str) -> int:
    """Byte offset where trailing report footers (Salesforce) and blank lines begin."""
    start = max(0, len(data) - TAIL_BYTES)
    tail = data[start:]
    lines = tail.split(b"\n")
    offset = len(data)
    # Walk back over the last lines; stop at the first one that is data.
    position = len(data)
    for raw_line in reversed(lines):
        line_start = position - len(raw_line)
        text = _decode(raw_line, encoding).strip().strip("\r")
        cells = next(csv.reader([text], delimiter=delimiter), []) if text else []
        non_empty = [c for c in cells if c.strip()]
        first = fold(non_empty[0]) if non_empty else ""
        is_footer = first.startswith(FOOTER_STARTS) and (len(non_empty) <= 2 or "record" in first)
        if not non_empty or is_footer:
            offset = line_start
        else:
            break
        position = line_start - 1  # the "\n" before this line
        if position < start:
            break
    return max(offset, 0)


def _line_start(data: bytes, line_index: int) -> int:
    """Byte offset of 0-based line `line_index`."""
    offset = 0
    for _ in range(line_index):
        offset = data.index(b"\n", offset) + 1
    return offset


def _dedupe(names: list[str]) -> list[str]:
    """Header names made unique and non-empty: 'Amount', 'Amount (2)', 'Column 3'."""
    seen: dict[str, int] = {}
    result = []
    for position, name in enumerate(names, start=1):
        name = name.strip() or f"Column {position}"
        count = seen.get(name, 0) + 1
        seen[name] = count
        result.append(name if count == 1 else f"{name} ({count})")
    return result


def read_csv(data: bytes, file_name: str) -> RawTable:
    """Read a delimited text export (CSV, TSV, `;`) into text cells."""
    if b"\x00" in data[:HEAD_BYTES] and not data.startswith((codecs.BOM_UTF16_LE,
                                                               codecs.BOM_UTF16_BE)):
        raise UnreadableFile(f"{file_name}: the file contains binary data (NUL bytes); "
                             "it is not a text export.")
    data, encoding = _to_utf8(data)
    head_text = _decode(data[:HEAD_BYTES], encoding)
    delimiter, header_index, header = _sniff(head_text)
    if not any(cell.strip() for cell in header):
        raise UnreadableFile(f"{file_name}: no header row found in the first lines.")
    names = _dedupe(header)
    body_start = _line_start(data, header_index + 1)
    body_end = _footer_start(data, encoding, delimiter)
    body = data[body_start:max(body_start, body_end)]

    try:
        table, broken = _arrow_read(body, names, encoding, delimiter)
    except UnicodeError:
        # The head was valid UTF-8 but a later line is not: a cp1252 export
        # whose first accented character comes late.
        encoding = "cp1252"
        table, broken = _arrow_read(body, names, encoding, delimiter)
    except pa.ArrowInvalid as exc:
        raise UnreadableFile(f"{file_name}: the file cannot be read as CSV ({exc}).") from exc
    if broken:
        # Rare: malformed rows. Re-read with Python's csv module, which knows
        # every row's line number, so the report can say which lines were skipped.
        return _read_with_python(data, file_name, encoding, delimiter, header_index, names,
                                 body_start, body_end)
    table, positions = _drop_blank_rows(table)
    row_numbers = None if positions is None else pc.add(positions, header_index + 2)
    raw = RawTable(table=table, header_row=header_index + 1, encoding=encoding,
                   delimiter=delimiter, row_numbers=row_numbers)
    if header_index:
        raw.notes.append(f"{header_index} line(s) above the header were skipped.")
    if body_end < len(data):
        raw.notes.append("A footer after the data (totals, copyright) was skipped.")
    return raw


def _arrow_read(body: bytes, names: list[str], encoding: str,
                delimiter: str) -> tuple[pa.Table, int]:
    """pyarrow's fast reader, all columns as text; returns (table, malformed row count)."""
    broken = 0

    def on_invalid_row(row: pacsv.InvalidRow) -> str:
        nonlocal broken
        broken += 1
        return "skip"

    read_options = pacsv.ReadOptions(
        column_names=names,
        encoding="utf8" if encoding in ("utf-8", "utf-8-sig", "utf-16") else encoding,
        block_size=8 << 20,
    )
    # Blank lines are kept as (invalid) rows so they send the file down the
    # exact-line-number path instead of silently shifting every reported line.
    parse_options = pacsv.ParseOptions(
        delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid_row,
        ignore_empty_lines=False,
    )
    convert_options = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    try:
        table = pacsv.read_csv(io.BytesIO(body), read_options=read_options,
                               parse_options=parse_options, convert_options=convert_options)
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "Empty CSV file" in message:
            return pa.table({name: pa.array([], pa.string()) for name in names}), 0
        if "UTF8" in message.upper() and encoding == "utf-8":
            raise UnicodeError(message) from exc
        raise
    return table, broken


def _read_with_python(data: bytes, file_name: str, encoding: str, delimiter: str,
                      header_index: int, names: list[str], body_start: int,
                      body_end: int) -> RawTable:
    """Slow but exact path for files with malformed rows: every line is accounted for."""
    text = _decode(data[body_start:max(body_start, body_end)], encoding)
    columns: list[list[str]] = [[] for _ in names]
    lines: list[int] = []
    broken: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first_line = header_index + 2
    previous_end = 0
    try:
        for cells in reader:
            line = first_line + previous_end
            previous_end = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(names):
                broken.append((line, f"{len(cells)} fields instead of {len(names)}"))
                continue
            for column, cell in zip(columns, cells, strict=True):
                column.append(cell)
            lines.append(line)
    except csv.Error as exc:
        broken.append((first_line + previous_end, f"unreadable from here on ({exc})"))
    table = pa.table({name: pa.array(col, pa.string()) for name, col in zip(names, columns,
                                                                             strict=True)})
    raw = RawTable(table=table, header_row=header_index + 1,
                   row_numbers=pa.array(lines, pa.int64()), encoding=encoding,
                   delimiter=delimiter, broken_rows=broken)
    return raw


# --------------------------------------------------------------------------
# XLSX and Parquet
# --------------------------------------------------------------------------


def read_xlsx(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read the sheet that looks like an export (or `sheet`) through fastexcel (Rust, Arrow)."""
    import fastexcel

    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises several unrelated types
        raise UnreadableFile(f"{file_name}: the Excel file cannot be opened ({exc}).") from exc
    names = list(reader.sheet_names)
    if sheet is not None and sheet not in names:
        raise UnreadableFile(f"{file_name}: there is no sheet named {sheet!r}.")
    best: tuple[int, str, pa.Table, int] | None = None
    for name in [sheet] if sheet else names:
        try:
            batch = reader.load_sheet(name, header_row=None, dtypes="string", eager=True,
                                      skip_whitespace_tail_rows=True)
        except Exception as exc:
            raise UnreadableFile(f"{file_name}: sheet {name!r} cannot be read ({exc}).") from exc
        table = pa.Table.from_batches([batch])
        head = [[("" if v is None else str(v)) for v in row.values()]
                for row in table.slice(0, HEADER_SEARCH_ROWS).to_pylist()]
        index, score = _find_header(head)
        if best is None or score > best[0]:
            best = (score, name, table, index)
    if best is None or best[2].num_rows == 0:
        raise UnreadableFile(f"{file_name}: the workbook has no data.")
    _, name, table, index = best
    header = [("" if v is None else str(v)) for v in table.slice(index, 1).to_pylist()[0].values()]
    names_out = _dedupe(header)
    body = table.slice(index + 1).rename_columns(names_out)
    body = pa.table({n: pc.fill_null(body[n], "") for n in names_out})
    body, rows = _drop_blank_rows(body)
    if rows is None:
        rows = pa.array(np.arange(body.num_rows, dtype=np.int64))
    body, rows = _drop_footer_rows(body, rows)
    raw = RawTable(table=body, header_row=index + 1, sheet=name, file_format="xlsx",
                   row_numbers=pc.add(rows, index + 2))
    if len(names) > 1:
        raw.notes.append(f"Sheet {name!r} was read (of {len(names)} sheets).")
    if index:
        raw.notes.append(f"{index} row(s) above the header were skipped.")
    return raw


def _drop_blank_rows(body: pa.Table) -> tuple[pa.Table, pa.Array | None]:
    """Rows holding some text, and their 0-based positions (None when none was blank)."""
    filled = None
    for name in body.column_names:
        has_text = pc.not_equal(pc.utf8_trim_whitespace(body[name]), "")
        filled = has_text if filled is None else pc.or_(filled, has_text)
    if filled is None or pc.all(filled).as_py() in (True, None):
        return body, None
    positions = pa.array(np.arange(body.num_rows, dtype=np.int64)).filter(filled)
    return body.filter(filled), positions


def _drop_footer_rows(body: pa.Table, positions: pa.Array) -> tuple[pa.Table, pa.Array]:
    """Without trailing report footers (Salesforce's "Grand Totals", copyright lines)."""
    keep = body.num_rows
    while keep > 0:
        cells = [body[c][keep - 1].as_py() for c in body.column_names]
        non_empty = [c for c in cells if c and c.strip()]
        first = fold(non_empty[0]) if non_empty else ""
        if not (first.startswith(FOOTER_STARTS) and (len(non_empty) <= 2 or "record" in first)):
            break
        keep -= 1
    return body.slice(0, keep), positions.slice(0, keep)


def read_parquet(data: bytes, file_name: str) -> RawTable:
    """Read a Parquet file; typed columns are turned to text like every other format."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:
        raise UnreadableFile(f"{file_name}: the Parquet file cannot be read ({exc}).") from exc
    columns = {}
    for name in table.column_names:
        column = table[name]
        if not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        columns[name] = pc.fill_null(column, "")
    return RawTable(table=pa.table(columns), header_row=1, file_format="parquet")
