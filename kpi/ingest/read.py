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
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kpi import settings
from kpi.ingest.errors import UnreadableFile, short
from kpi.ingest.fold import fold
from kpi.ingest.vocabulary import is_known_header
from kpi.messages import Message, msg

if TYPE_CHECKING:
    import pyarrow.parquet as pq

HEAD_BYTES = 64 * 1024
MAX_HEAD_BYTES = 4 * 1024 * 1024  # how far the sample stretches to hold a whole long header
# What one cell of text costs on its way to the workspace (Arrow offsets and
# validity, the typing pass): 189 M cells of a tiny Parquet file took 4.1 GB.
CELL_COST = 24
# pyarrow reads CSV in blocks of this size; one value cannot be longer.
BLOCK_BYTES = 8 << 20
INFLATE_CHUNK = 1 << 20
# A Parquet file is read and counted this many rows at a time.
PARQUET_BATCH_ROWS = 65_536
# The widest real exports (HubSpot "all properties") have about a thousand
# columns; a line of 90,000 cells is not a header, and per-column work on it
# would take seconds.
MAX_COLUMNS = 10_000
# Above this share of NUL bytes a file is binary; below, they are stray bytes to drop.
MAX_NUL_SHARE = 0.01
MIN_NULS_REFUSED = 16
TAIL_BYTES = 16 * 1024
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t", "|")
FOOTER_STARTS = ("grandtotal", "total", "confidential", "copyright", "generatedby", "sousotal")

_MAGIC = {
    b"\x89PNG": "png",
    b"%PDF": "pdf",
    b"GIF8": "gif",
    b"\xff\xd8\xff": "jpeg",
    b"\x1f\x8b": "gzip",
    b"7z\xbc\xaf": "7zip",
    b"Rar!": "rar",
}  # what the file is: msg.what.<name>
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or an encrypted .xlsx
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Line breaks as the CSV readers see them (pyarrow and Python's csv module):
# \r\n, \n or a lone \r (old Mac exports). str.splitlines() also breaks on
# form feeds and U+2028, which would shift the header's line number.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_BYTES = re.compile(rb"\r\n|\r|\n")

# Arrow's buffers come from the C library's malloc, as DuckDB's do, instead of
# pyarrow's own mimalloc: the raw text of a file and the CSV reader's
# temporaries, once freed, are then reused by DuckDB's typing query and insert
# instead of staying cached apart (1M-deal import: peak ~100 MB lower, ~50 MB
# less retained). ARROW_DEFAULT_MEMORY_POOL still chooses when set (pyarrow reads
# it itself). This runs on import, before pyarrow allocates anything.
if settings.current().arrow_memory_pool is None:
    pa.set_memory_pool(pa.system_memory_pool())

# A cell may hold a whole page of text; Python's csv module refuses fields over
# 128 KB by default, which would end the exact path at the first long note.
csv.field_size_limit(2**31 - 1)


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
    notes: list[Message] = field(default_factory=list)
    broken_rows: list[tuple[int, Message]] = field(default_factory=list)  # (line, problem)

    def line_of(self, index: int) -> int:
        """1-based line in the file of data row `index` (0-based)."""
        if self.row_numbers is not None:
            return int(self.row_numbers[index].as_py())
        return self.header_row + 1 + index


def read_raw(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read any supported file into text cells; `UnreadableFile` when it can't be used."""
    if _is_blank(data):
        raise UnreadableFile(msg("file.empty", file=file_name))
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, file_name, sheet)
    if data.startswith(b"PAR1"):
        return read_parquet(data, file_name)
    if data.startswith(_OLE_MAGIC):
        raise UnreadableFile(msg("file.old_excel", file=file_name))
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnreadableFile(msg("file.not_an_export", file=file_name,
                                     what=msg(f"what.{what}")))
    return read_csv(data, file_name)


def _check_width(columns: int, file_name: str) -> None:
    if columns > MAX_COLUMNS:
        raise UnreadableFile(msg("file.too_wide", file=file_name, count=columns,
                                 limit=MAX_COLUMNS))


def _is_blank(data: bytes) -> bool:
    """Nothing but byte-order marks and white space (in UTF-8 or UTF-16)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and len(data) < HEAD_BYTES:
        return not data.decode("utf-16", "replace").strip("\ufeff \t\r\n")
    start = next((len(bom) for bom in _BOMS if data.startswith(bom)), 0)
    # Text in the first bytes settles it without copying a large file.
    return not data[start:start + HEAD_BYTES].strip() and not data[start:].strip()


# --------------------------------------------------------------------------
# CSV / TSV
# --------------------------------------------------------------------------


def _to_utf8(data: bytes) -> tuple[bytes, str]:
    """Bytes pyarrow can read as UTF-8, and the encoding they came in.

    UTF-16 is transcoded here (rare and small); cp1252 is left to pyarrow's
    streaming transcoder so a large French export is never copied in Python. A
    UTF-8 BOM stays in the bytes (cutting it would copy the file); only the
    text of the first lines drops it.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data, "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # "replace": a cut last character must not cost the whole file.
        return data.decode("utf-16", "replace").encode("utf-8"), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, "replace").encode("utf-8"), "utf-16"
    head = data[:HEAD_BYTES]
    try:
        head.decode("utf-8")
        return data, "utf-8"
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the very end of the sample is not evidence.
        if exc.start >= len(head) - 3 and len(data) > len(head):
            return data, "utf-8"
        return data, "cp1252"


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the text has no BOM but every other byte is NUL."""
    head = data[:HEAD_BYTES]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _decode(chunk: bytes, encoding: str) -> str:
    return chunk.decode("utf-8" if encoding in ("utf-8-sig", "utf-16") else encoding, "replace")


def _find_header(rows: list[list[str]]) -> tuple[int, int]:
    """(index, score) of the row that looks most like a header.

    The score counts cells that are known export headers; title rows above the
    header (Salesforce, spreadsheet reports) score lower and are skipped.
    """
    best_index, best_score = -1, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        # A row wider than MAX_COLUMNS is refused anyway: scoring a million
        # cells of a hostile line would only burn seconds.
        score = sum(1 for cell in row[: MAX_COLUMNS + 1] if cell and is_known_header(cell))
        if score > best_score:
            best_index, best_score = index, score
    if best_index < 0:
        # Nothing recognised: the first row with several non-empty cells is the
        # header, and the user maps its columns by hand.
        for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
            if sum(1 for cell in row[: MAX_COLUMNS + 1] if cell.strip()) >= 2:
                return index, 0
        return 0, 0
    return best_index, best_score


def _head_end(data: bytes) -> int:
    """Where the sample of the first lines ends: 64 KB, stretched to the end of a line.

    A header wider than 64 KB (thousands of columns) must be read whole, or its
    cells would not match the rows; past MAX_HEAD_BYTES the line stays cut.
    """
    if len(data) <= HEAD_BYTES:
        return len(data)
    match = _LINE_BREAK_BYTES.search(data, HEAD_BYTES - 1, MAX_HEAD_BYTES)
    return match.end() if match else min(len(data), MAX_HEAD_BYTES)


def _head_lines(text: str, whole: bool = False) -> list[str]:
    """The lines of the sample; the last one may be cut unless the sample is the whole file."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()  # the sample ends on a line break: its last line is whole
        return lines
    return lines[:-1] if len(lines) > 1 and not whole else lines


def _sniff(head_text: str, whole: bool = False) -> tuple[str, int, list[str]]:
    """(delimiter, header line index, header cells) from the start of the file."""
    lines = _head_lines(head_text, whole)[:HEADER_SEARCH_ROWS]
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
    spans: list[tuple[int, int]] = []  # (start, end) of each line of the tail
    position = 0
    for match in _LINE_BREAK_BYTES.finditer(tail):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(tail)))
    if start > 0:
        spans = spans[1:]  # the first line of the tail may be cut
    offset = len(data)
    # Walk back over the last lines; stop at the first one that is data.
    for line_start, line_end in reversed(spans):
        text = _decode(tail[line_start:line_end], encoding).strip()
        try:
            cells = next(csv.reader([text], delimiter=delimiter), []) if text else []
        except csv.Error:  # a stray quote or control character: that is data
            break
        non_empty = [c for c in cells if c.strip()]
        first = fold(non_empty[0]) if non_empty else ""
        is_footer = first.startswith(FOOTER_STARTS) and (len(non_empty) <= 2 or "record" in first)
        if non_empty and not is_footer:
            break
        offset = start + line_start
    return offset


def _line_start(data: bytes, line_index: int) -> int:
    """Byte offset of 0-based line `line_index` (the end of the data when there are fewer)."""
    offset = 0
    for _ in range(line_index):
        match = _LINE_BREAK_BYTES.search(data, offset)
        if match is None:
            return len(data)
        offset = match.end()
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


def _strip_stray_nuls(data: bytes, file_name: str) -> tuple[bytes, Message | None]:
    """Text without its stray NUL bytes, and the note that says so.

    Real exports carry a few (a Salesforce export had 48 in 313 KB, inside rich
    text fields): they are dropped and counted. A file where they are more than
    MAX_NUL_SHARE of the bytes (and more than MIN_NULS_REFUSED) is binary, not a
    text export, and is refused.
    """
    first = data.find(b"\x00")
    if first < 0:
        return data, None
    count = data.count(b"\x00")
    line = len(_LINE_BREAK_BYTES.findall(data, 0, first)) + 1
    if count > max(MIN_NULS_REFUSED, MAX_NUL_SHARE * len(data)):
        raise UnreadableFile(msg("file.binary", file=file_name, line=line))
    return data.replace(b"\x00", b""), msg("note.nul_removed", count=count, line=line)


def read_csv(data: bytes, file_name: str) -> RawTable:
    """Read a delimited text export (CSV, TSV, `;`) into text cells."""
    data, encoding = _to_utf8(data)
    data, nul_note = _strip_stray_nuls(data, file_name)
    head_end = _head_end(data)
    head_text = _decode(data[:head_end], encoding).removeprefix("\ufeff")
    delimiter, header_index, header = _sniff(head_text, whole=head_end == len(data))
    if not any(cell.strip() for cell in header):
        raise UnreadableFile(msg("file.no_header", file=file_name))
    _check_width(len(header), file_name)
    names = _dedupe(header)
    body_start = _line_start(data, header_index + 1)
    body_end = _footer_start(data, encoding, delimiter)
    # A view, not a slice: a copy of a 100 MB export would double its footprint.
    body = memoryview(data)[body_start:max(body_start, body_end)]

    try:
        table, broken, encoding = _read_body(body, names, encoding, delimiter)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        if "straddl" in str(exc):  # pyarrow: "straddling object straddles two block boundaries"
            raise UnreadableFile(msg("file.value_too_long", file=file_name,
                                     size=BLOCK_BYTES >> 20)) from exc
        raise UnreadableFile(msg("file.bad_csv", file=file_name, error=short(exc))) from exc
    if broken or _may_hide_rows(table, data, body_start, body_end, delimiter):
        # Rare: malformed rows. Re-read with Python's csv module, which knows
        # every row's line number, so the report can say which lines were skipped.
        raw = _read_with_python(data, file_name, encoding, delimiter, header_index, names,
                                body_start, body_end)
        raw.notes[:0] = [nul_note] if nul_note else []
        return raw
    table, positions = _drop_blank_rows(table)
    row_numbers = None if positions is None else pc.add(positions, header_index + 2)
    raw = RawTable(table=table, header_row=header_index + 1, encoding=encoding,
                   delimiter=delimiter, row_numbers=row_numbers)
    if nul_note:
        raw.notes.append(nul_note)
    if header_index:
        raw.notes.append(msg("note.lines_skipped", count=header_index))
    if body_end < len(data):
        raw.notes.append(msg("note.footer_skipped"))
    return raw


def _read_body(body: memoryview, names: list[str], encoding: str,
               delimiter: str) -> tuple[pa.Table, int, str]:
    """_arrow_read, falling back when the bytes are not in the encoding the head suggested."""
    try:
        return (*_arrow_read(body, names, encoding, delimiter), encoding)
    except UnicodeError:
        pass
    if encoding == "utf-8":
        # The head was valid UTF-8 but a later line is not: a cp1252 export
        # whose first accented character comes late.
        try:
            return (*_arrow_read(body, names, "cp1252", delimiter), "cp1252")
        except UnicodeError:
            encoding = "cp1252"
    # Bytes that are not valid in the encoding at all (a BOM-marked UTF-8 file
    # with a stray byte, or 0x81/0x8D/0x8F/0x90/0x9D, which cp1252 leaves
    # undefined): decode in Python, replacing them with U+FFFD.
    python_codec = "utf-8" if encoding in ("utf-8", "utf-8-sig") else encoding
    utf8 = str(body, python_codec, "replace").encode("utf-8")
    return (*_arrow_read(utf8, names, "utf-8", delimiter), encoding)


def _arrow_read(body: memoryview | bytes, names: list[str], encoding: str,
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
        block_size=BLOCK_BYTES,
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
        table = pacsv.read_csv(pa.BufferReader(pa.py_buffer(body)), read_options=read_options,
                               parse_options=parse_options, convert_options=convert_options)
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "Empty CSV file" in message:
            return pa.table({name: pa.array([], pa.string()) for name in names}), 0
        if "UTF8" in message.upper() and encoding in ("utf-8", "utf-8-sig"):
            raise UnicodeError(message) from exc
        raise
    return table, broken


def _runaway_quote(cells: list[str], delimiter: str, width: int) -> bool:
    """A cell holding lines that split into a whole row: a quote that was never closed.

    `Acme,"LinkedIn` opens a quoted field that runs on over the next lines; when
    it is the last field the row still has the right width and the rows it
    swallowed would vanish without a word. A legitimate multi-line note rarely
    has a line with exactly as many delimiters as a row (files of 4+ columns).
    """
    if width < 4:
        return False
    return any(
        any(inner.count(delimiter) == width - 1 for inner in _LINE_BREAK.split(cell)[1:])
        for cell in cells if "\n" in cell or "\r" in cell
    )


def _may_hide_rows(table: pa.Table, data: bytes, start: int, end: int, delimiter: str) -> bool:
    """Whether some cell of the fast read of data[start:end] may hold rows swallowed by an
    unclosed quote."""
    width = table.num_columns
    if width < 4 or data.find(b'"', start, end) < 0:
        return False
    # As many rows as line breaks: no cell spans lines, nothing can hide (and
    # no column has to be searched, which costs most on a large file).
    breaks = data.count(b"\n", start, end) or data.count(b"\r", start, end)
    if table.num_rows >= breaks - (0 if data.endswith((b"\n", b"\r"), start, end) else -1):
        return False
    for column in table.columns:
        has_break = pc.match_substring_regex(column, "[\r\n]")
        if pc.any(has_break).as_py():
            cells = pc.filter(column, has_break).to_pylist()
            if _runaway_quote(cells, delimiter, width):
                return True
    return False


def _read_with_python(data: bytes, file_name: str, encoding: str, delimiter: str,
                      header_index: int, names: list[str], body_start: int,
                      body_end: int) -> RawTable:
    """Slow but exact path for files with malformed rows: every line is accounted for."""
    text = _decode(data[body_start:max(body_start, body_end)], encoding)
    columns: list[list[str]] = [[] for _ in names]
    lines: list[int] = []
    broken: list[tuple[int, Message]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    first_line = header_index + 2
    previous_end = 0
    try:
        for cells in reader:
            line = first_line + previous_end
            last_line = first_line + reader.line_num - 1
            previous_end = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if last_line > line and len(cells) != len(names):
                broken.append((line, msg("broken.quote_may_run", found=len(cells),
                                         expected=len(names), first=line, last=last_line)))
                continue
            if last_line > line and _runaway_quote(cells, delimiter, len(names)):
                broken.append((line, msg("broken.quote_runs", first=line, last=last_line)))
                continue
            if len(cells) != len(names):
                broken.append((line, msg("broken.fields", found=len(cells),
                                         expected=len(names))))
                continue
            for column, cell in zip(columns, cells, strict=True):
                column.append(cell)
            lines.append(line)
    except csv.Error as exc:
        broken.append((first_line + previous_end, msg("broken.unreadable", error=str(exc))))
    table = pa.table({name: pa.array(col, pa.string()) for name, col in zip(names, columns,
                                                                             strict=True)})
    raw = RawTable(table=table, header_row=header_index + 1,
                   row_numbers=pa.array(lines, pa.int64()), encoding=encoding,
                   delimiter=delimiter, broken_rows=broken)
    return raw


# --------------------------------------------------------------------------
# XLSX and Parquet
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """What one compressed upload may produce once read, whatever it declares.

    XLSX is a ZIP and Parquet pages are compressed or dictionary-encoded: a
    file of a few hundred KB can stand for gigabytes. The readers count what
    they actually inflate or decode and stop past this budget.
    """

    bytes: int  # inflated workbook XML, or Parquet text
    cells: int  # rows x columns

    @classmethod
    def for_memory(cls, memory: int) -> Budget:
        """A twelfth of the server's memory, between 256 MB and 2 GB (the workspace's own cap)."""
        size = min(max(memory // 12, 256 << 20), 2 << 30)
        return cls(bytes=size, cells=size // CELL_COST)


def _server_memory() -> int:
    """The machine's memory, or the container's limit when it is lower."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:
        with open("/sys/fs/cgroup/memory.max") as limit:
            return min(memory, int(limit.read().strip()))
    except (OSError, ValueError):  # no cgroup v2, or "max"
        return memory


BUDGET = Budget.for_memory(_server_memory())


def _too_large(file_name: str, size: Message) -> UnreadableFile:
    """The one refusal for a file that would not fit the server's memory once read."""
    return UnreadableFile(msg("file.too_large", file=file_name, size=size,
                              megabytes=_megabytes(BUDGET.bytes), cells=BUDGET.cells))


def _megabytes(size: float) -> int:
    return round(size / 2**20)


def read_xlsx(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read the sheet that looks like an export (or `sheet`) through fastexcel (Rust, Arrow)."""
    import fastexcel

    _check_workbook_archive(data, file_name)
    try:
        reader = fastexcel.read_excel(data)
    except Exception as exc:  # fastexcel raises several unrelated types
        raise UnreadableFile(msg("file.excel_unreadable", file=file_name,
                                 error=short(exc))) from exc
    names = list(reader.sheet_names)
    if sheet is not None and sheet not in names:
        raise UnreadableFile(msg("file.no_such_sheet", file=file_name, sheet=sheet))
    best: tuple[int, str, pa.Table, int] | None = None
    for name in [sheet] if sheet else names:
        try:
            batch = reader.load_sheet(name, header_row=None, dtypes="string", eager=True,
                                      skip_whitespace_tail_rows=True)
        except Exception as exc:
            raise UnreadableFile(msg("file.sheet_unreadable", file=file_name, sheet=name,
                                     error=short(exc))) from exc
        table = pa.Table.from_batches([batch])
        if table.num_rows * table.num_columns > BUDGET.cells:  # before any work on it
            raise _too_large(file_name, msg("size.sheet", sheet=name, rows=table.num_rows,
                                            columns=table.num_columns))
        head = [[("" if v is None else str(v)) for v in row.values()]
                for row in table.slice(0, HEADER_SEARCH_ROWS).to_pylist()]
        index, score = _find_header(head)
        if best is None or score > best[0]:
            best = (score, name, table, index)
    if best is None or best[2].num_rows == 0:
        raise UnreadableFile(msg("file.no_data", file=file_name))
    _, name, table, index = best
    header = [("" if v is None else str(v)) for v in table.slice(index, 1).to_pylist()[0].values()]
    _check_width(len(header), file_name)
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
        raw.notes.append(msg("note.sheet_read", sheet=name, count=len(names)))
    if index:
        raw.notes.append(msg("note.rows_skipped", count=index))
    return raw


def _check_workbook_archive(data: bytes, file_name: str) -> None:
    """Refuse what is not a workbook, or would inflate past the budget.

    The directory's declared sizes must fit the budget, and each part is
    inflated here, counting, to check that it holds no more than it declares:
    fastexcel inflates a part to its end, whatever the directory says.
    """
    damaged = UnreadableFile(msg("file.damaged_zip", file=file_name))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise damaged from exc
    names = [entry.filename for entry in entries]
    if not any(n.startswith("xl/") or n == "content.xml" for n in names):
        raise UnreadableFile(msg("file.plain_zip", file=file_name))
    declared = sum(entry.file_size for entry in entries)
    if declared > BUDGET.bytes:
        raise _too_large(file_name, msg("size.megabytes", size=_megabytes(declared)))
    try:
        for entry in entries:
            if _inflates_past(memoryview(data), entry, file_name):
                raise UnreadableFile(msg("file.part_overflows", file=file_name,
                                         part=entry.filename))
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise damaged from exc


def _inflates_past(data: memoryview, entry: zipfile.ZipInfo, file_name: str) -> bool:
    """Whether a part inflates to more than its declared size (stops as soon as it does)."""
    if entry.compress_type == zipfile.ZIP_STORED:
        return False  # its bytes are in the upload itself
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise UnreadableFile(msg("file.odd_compression", file=file_name,
                                 method=entry.compress_type))
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    for offset in range(_entry_data_start(data, entry), len(data), INFLATE_CHUNK):
        pending = bytes(data[offset:offset + INFLATE_CHUNK])
        while pending and not inflater.eof:
            produced += len(inflater.decompress(pending, INFLATE_CHUNK))
            if produced > entry.file_size:
                return True
            pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    return False


def _entry_data_start(data: memoryview, entry: zipfile.ZipInfo) -> int:
    """Where a part's compressed bytes begin: after its local header (30 bytes, name, extra)."""
    header = bytes(data[entry.header_offset:entry.header_offset + 30])
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile("local header missing")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return entry.header_offset + 30 + name_length + extra_length


def _drop_blank_rows(body: pa.Table) -> tuple[pa.Table, pa.Array | None]:
    """Rows holding some text, and their 0-based positions (None when none was blank)."""
    if body.num_rows == 0 or body.num_columns == 0:
        return body, None
    # A blank row is blank in its first column: most files have no such cell,
    # and then no other column is looked at.
    first = body.column(0)
    if pc.all(pc.not_equal(pc.utf8_trim_whitespace(first), "")).as_py() in (True, None):
        return body, None
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
    """Read a Parquet file batch by batch; typed columns are turned to text like every other format.

    Text columns stay dictionary-encoded while read, so a value repeated a
    million times is counted before it is spelled out; reading stops past
    the budget.
    """
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(io.BytesIO(data))
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_binary(f.type)]
        parquet = pq.ParquetFile(io.BytesIO(data), read_dictionary=text)
        metadata = parquet.metadata
    except Exception as exc:  # pyarrow raises several types for a damaged file
        raise UnreadableFile(msg("file.parquet_unreadable", file=file_name,
                                 error=short(exc))) from exc
    _check_width(metadata.num_columns, file_name)
    declared = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if declared > BUDGET.bytes or metadata.num_rows * metadata.num_columns > BUDGET.cells:
        raise _too_large(file_name, msg("size.parquet", rows=metadata.num_rows,
                                        columns=metadata.num_columns,
                                        size=_megabytes(declared)))
    batches, ignored = _parquet_text_batches(parquet, file_name)
    raw = RawTable(table=pa.Table.from_batches(batches), header_row=1, file_format="parquet")
    if ignored:
        raw.notes.append(msg("note.nested_ignored", columns=ignored[:10]))
    return raw


def _parquet_text_batches(parquet: pq.ParquetFile,
                          file_name: str) -> tuple[list[pa.RecordBatch], list[str]]:
    """Every batch as text columns, counting their bytes; and the columns that have no text."""
    out: list[pa.RecordBatch] = []
    ignored: dict[str, str] = {}
    budget = [BUDGET.bytes]  # what is left of it, spent batch by batch
    try:
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            out.append(_batch_as_text(batch, ignored, budget, file_name))
        if not out:  # no rows: the columns still matter
            empty = pa.RecordBatch.from_pylist([], schema=parquet.schema_arrow)
            out.append(_batch_as_text(empty, ignored, budget, file_name))
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(msg("file.parquet_unreadable", file=file_name,
                                 error=short(exc))) from exc
    return out, list(ignored.values())


def _batch_as_text(batch: pa.RecordBatch, ignored: dict[str, str], budget: list[int],
                   file_name: str) -> pa.RecordBatch:
    """One batch as text, its bytes taken from what is left of `budget` (refused past it).

    Rows need no such count: the reader decodes exactly the rows the metadata
    declares, and read_parquet checked those cells against the budget.
    """
    columns = {}
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        if name in ignored:
            continue
        budget[0] -= _text_size(column)
        if budget[0] < 0:
            raise _too_large(file_name, msg("size.text", size=_megabytes(BUDGET.bytes)))
        try:
            columns[name] = pc.fill_null(_as_text(column), "")
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            ignored[name] = f"{name!r} ({column.type})"
    return pa.RecordBatch.from_pydict(columns)


def _text_size(column: pa.Array) -> int:
    """Bytes a column will take as text, computed before a dictionary is spelled out."""
    if pa.types.is_dictionary(column.type):
        lengths = pc.binary_length(column.dictionary)
        return int(pc.sum(pc.take(lengths, column.indices)).as_py() or 0) + 4 * len(column)
    return column.nbytes


def _as_text(column: pa.Array) -> pa.Array:
    """A Parquet column as UTF-8 text; bytes that are not UTF-8 become U+FFFD."""
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if pa.types.is_string(column.type):
        return column
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        try:
            return column.cast(pa.string())
        except pa.ArrowInvalid:
            return pa.array(
                [None if v is None else v.decode("utf-8", "replace") for v in column.to_pylist()],
                pa.string())
    return column.cast(pa.string())
