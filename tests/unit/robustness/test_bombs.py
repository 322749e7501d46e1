"""Decompression bombs: the readers count what they inflate or decode and stop early.

Both files are crafted here: a workbook whose ZIP directory declares a 1 KB
sheet that inflates to 300 MB, and a tiny Parquet file whose dictionary
spells out to gigabytes. Each is refused after reading a small part of it.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
import zlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hostile_inputs import simple_xlsx

from kpi.ingest import UnreadableFile, import_file
from kpi.ingest import read as read_module

SHEET = "xl/worksheets/sheet1.xml"
ROW = b"<row><c t=\"inlineStr\"><is><t>" + b"x" * 200 + b"</t></is></c></row>"


def _bomb_sheet(inflated: int) -> bytes:
    """A raw deflate stream of a sheet that inflates to about `inflated` bytes.

    A full flush resets the compressor, so one compressed megabyte of rows
    can be repeated as is: the bomb is built without compressing 300 MB.
    """
    deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    head = deflater.compress(b"<worksheet><sheetData>") + deflater.flush(zlib.Z_FULL_FLUSH)
    block = ROW * (1_048_576 // len(ROW))
    segment = deflater.compress(block) + deflater.flush(zlib.Z_FULL_FLUSH)
    tail = deflater.compress(b"</sheetData></worksheet>") + deflater.flush()
    return head + segment * (inflated // len(block)) + tail


def _zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP of deflated (name, raw stream, declared size, declared CRC) entries, as written."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, stream, size, crc in entries:
        offset = body.tell()
        fields = (20, 0, 8, 0, 0, crc, len(stream), size, len(name.encode()))
        body.write(struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields, 0))
        body.write(name.encode() + stream)
        directory.write(struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields,
                                    0, 0, 0, 0, 0, offset) + name.encode())
    central = directory.getvalue()
    end = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                      len(central), body.tell(), 0)
    return body.getvalue() + central + end


def _lying_workbook(inflated: int) -> bytes:
    """A real workbook whose sheet is swapped for a bomb that the directory calls 1 KB."""
    with zipfile.ZipFile(io.BytesIO(simple_xlsx())) as source:
        entries = []
        for info in source.infolist():
            data = source.read(info.filename)
            deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
            stream = deflater.compress(data) + deflater.flush()
            entries.append((info.filename, stream, len(data), zlib.crc32(data)))
    bomb = _bomb_sheet(inflated)
    return _zip([(name, bomb, 1024, 0) if name == SHEET else (name, stream, size, crc)
                 for name, stream, size, crc in entries])


def test_the_crafted_workbook_is_readable_when_it_tells_the_truth() -> None:
    """The ZIP writer above is sound: the same parts with true sizes import."""
    with zipfile.ZipFile(io.BytesIO(simple_xlsx())) as source:
        entries = []
        for info in source.infolist():
            data = source.read(info.filename)
            deflater = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
            entries.append((info.filename, deflater.compress(data) + deflater.flush(),
                            len(data), zlib.crc32(data)))
    report = import_file(_zip(entries), "honest.xlsx").report
    assert report.rows_accepted > 0


def test_a_workbook_whose_directory_lies_is_refused_after_reading_a_little_of_it() -> None:
    data = _lying_workbook(300 << 20)
    assert len(zlib.decompress(_bomb_sheet(20 << 20), -zlib.MAX_WBITS)) > 20_000_000
    assert len(data) < 2 << 20  # a small upload standing for 300 MB
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile, match="holds more than it declares") as caught:
            import_file(data, "bomb.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value).startswith("bomb.xlsx: ")
    assert peak < 40 << 20, f"{peak >> 20} MB traced while refusing"


def test_a_workbook_that_declares_more_than_the_budget_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(read_module, "BUDGET", read_module.Budget(bytes=1000, cells=10_000))
    with pytest.raises(UnreadableFile, match="too large once uncompressed"):
        import_file(simple_xlsx(), "big.xlsx")


def _parquet_of_repeated_cells(rows: int, value_bytes: int) -> bytes:
    """A tiny Parquet file: one value of `value_bytes` repeated `rows` times, dictionary-encoded."""
    value = pa.array(["x" * value_bytes])
    owner = pa.DictionaryArray.from_arrays(pa.array([0] * rows, pa.int32()), value)
    buffer = io.BytesIO()
    pq.write_table(pa.table({"deal_id": [f"D{i}" for i in range(rows)], "owner": owner,
                             "amount": ["1"] * rows, "created_at": ["2024-01-01"] * rows}),
                   buffer, compression="zstd")
    return buffer.getvalue()


def test_a_parquet_file_of_huge_repeated_cells_is_refused_before_it_is_spelled_out() -> None:
    # 6,000 cells of 512 KB: 3 GB of text, more than any server's budget (2 GB at most).
    data = _parquet_of_repeated_cells(6_000, 512 << 10)
    assert len(data) < 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(UnreadableFile, match="too large once uncompressed"):
            import_file(data, "bomb.parquet")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 << 20, f"{peak >> 20} MB traced while refusing"


def test_a_parquet_file_within_the_budget_is_read() -> None:
    report = import_file(_parquet_of_repeated_cells(50, 1000), "fine.parquet").report
    assert report.rows_accepted == 50


def test_parquet_text_is_counted_batch_by_batch(monkeypatch) -> None:
    """Each batch's text is counted before it is kept: the fourth 1 MB batch is over 3.5 MB."""
    monkeypatch.setattr(read_module, "BUDGET", read_module.Budget(bytes=int(3.5 * 2**20),
                                                                  cells=10**9))
    monkeypatch.setattr(read_module, "PARQUET_BATCH_ROWS", 1000)
    read_module.read_parquet(_parquet_of_repeated_cells(3_000, 1000), "three.parquet")
    with pytest.raises(UnreadableFile, match="over 4 MB of text"):
        read_module.read_parquet(_parquet_of_repeated_cells(4_000, 1000), "four.parquet")


def test_the_budget_follows_the_servers_memory() -> None:
    assert read_module.Budget.for_memory(24 << 30).bytes == 2 << 30
    assert read_module.Budget.for_memory(6 << 30).bytes == 512 << 20
    assert read_module.Budget.for_memory(1 << 30).bytes == 256 << 20
    assert read_module.Budget.for_memory(6 << 30).cells == (512 << 20) // read_module.CELL_COST


def test_a_50_mb_field_is_refused_in_plain_words() -> None:
    data = (b"deal_id,owner,amount,created_at\nD1,Ann,1,2024-01-01\n"
            b'D2,"' + b"x" * (50 << 20) + b'",1,2024-01-01\n')
    with pytest.raises(UnreadableFile) as caught:
        import_file(data, "long.csv")
    message = str(caught.value)
    assert message.startswith("long.csv: one value is longer than 8 MB"), message
    assert "straddl" not in message and "block" not in message


def test_a_sheet_past_the_cell_budget_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(read_module, "BUDGET", read_module.Budget(bytes=1 << 30, cells=5))
    with pytest.raises(UnreadableFile, match="too large once uncompressed"):
        import_file(simple_xlsx(), "cells.xlsx")
