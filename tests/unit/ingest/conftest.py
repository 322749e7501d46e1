"""Shared helpers for the importer's unit tests (docs/tables.md).

Fixture files are built in the tests as bytes; nothing binary is committed.
Every import goes through `load`, which also checks the contract that holds
for every file: exactly the canonical columns with their Arrow types,
`source_file` set, row counts that add up, and a report that names the
encoding, delimiter, date order and decimal mark it chose.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pytest

from kpi.schema import (
    TABLE_COLUMNS,
    FieldType,
    FileReport,
    RejectedRow,
    TableKind,
    field_spec,
)

ARROW_TYPE_CHECKS: dict[str, Callable[[pa.DataType], bool]] = {
    "VARCHAR": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t),
    "DATE": lambda t: t == pa.date32(),
    "DOUBLE": lambda t: t == pa.float64(),
    "BIGINT": lambda t: t == pa.int64(),
}
# Channel and status are DuckDB ENUMs of the canonical values: Arrow dictionaries of text.
ENUM_TYPE_CHECK: Callable[[pa.DataType], bool] = lambda t: (  # noqa: E731
    pa.types.is_dictionary(t) and pa.types.is_string(t.value_type))


def text_file(text: str, *, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """Dedent a triple-quoted CSV, then encode it with the given line ending."""
    body = textwrap.dedent(text).lstrip("\n")
    return body.replace("\n", newline).encode(encoding)


def fold(value: str) -> str:
    """Lower-case, accent-free, alphanumeric only (to compare names loosely)."""
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c)).lower()


def names_column(reject: RejectedRow, *names: str) -> bool:
    """True when the reject's column or reason names one of `names`."""
    wanted = {fold(n) for n in names}
    if reject.column and fold(reject.column) in wanted:
        return True
    reason = fold(reject.reason)
    return any(w in reason for w in wanted)


@dataclass
class Loaded:
    """The result of one import, with row-access helpers."""

    result: Any
    file_name: str

    @property
    def report(self) -> FileReport:
        return self.result.report

    @property
    def table(self) -> pa.Table:
        return self.result.table

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.table.to_pylist()

    def by(self, key: str) -> dict[Any, dict[str, Any]]:
        """Rows keyed by one column (the column's values must be unique)."""
        out: dict[Any, dict[str, Any]] = {}
        for row in self.rows:
            assert row[key] not in out, f"{key}={row[key]!r} appears twice in the table"
            out[row[key]] = row
        return out

    def column(self, name: str) -> list[Any]:
        return self.table.column(name).to_pylist()

    def rejects_at(self, line: int) -> list[RejectedRow]:
        return [r for r in self.report.rejects if r.row == line]

    def decision(self, source: str):
        """The ColumnDecision of one source column (matched exactly)."""
        found = [c for c in self.report.columns if c.source == source]
        assert found, f"no column decision for {source!r}: {self.report.columns}"
        return found[0]


def check_contract(loaded: Loaded) -> None:
    report = loaded.report
    assert report.table is not None, "a loaded file must name its table"
    kind = TableKind(report.table)
    expected = TABLE_COLUMNS[kind]
    assert loaded.table.column_names == list(expected)
    for name, duck_type in expected.items():
        arrow_type = loaded.table.schema.field(name).type
        if duck_type.startswith("ENUM("):
            assert ENUM_TYPE_CHECK(arrow_type), f"{name}: {arrow_type} is not {duck_type}"
            assert set(loaded.column(name)) <= set(duck_type[5:-1].replace("'", "").split(", "))
        else:
            assert ARROW_TYPE_CHECKS[duck_type](arrow_type), f"{name}: {arrow_type} is not {duck_type}"
    assert set(loaded.column("source_file")) <= {loaded.file_name}
    assert report.file == loaded.file_name
    assert report.rows_accepted == loaded.table.num_rows
    assert report.rows_read == report.rows_accepted + report.rows_rejected + report.rows_dropped
    assert len({r.row for r in report.rejects}) == report.rows_rejected
    # "The import report names the encoding, delimiter, date order and decimal
    # mark it chose for every file" (docs/tables.md).
    if loaded.file_name.lower().endswith((".csv", ".tsv", ".txt")):
        assert report.encoding, "a text file's report names its encoding"
        assert report.delimiter, "a text file's report names its delimiter"
    fields = {field_spec(kind, f).type for f in report.mapping.values() if _has_field(kind, f)}
    if FieldType.DATE in fields:
        assert report.date_order in ("DMY", "MDY", "YMD"), report.date_order
    if FieldType.AMOUNT in fields:
        assert report.decimal_mark in (".", ","), report.decimal_mark


def _has_field(kind: TableKind, name: str) -> bool:
    try:
        field_spec(kind, name)
    except KeyError:
        return False
    return True


@pytest.fixture(scope="session")
def text() -> Callable[..., bytes]:
    """`text(csv_source, encoding=..., newline=...)`: a dedented text file as bytes."""
    return text_file


@pytest.fixture(scope="session")
def names() -> Callable[..., bool]:
    """`names(reject, *column_names)`: does the reject name one of the columns?"""
    return names_column


@pytest.fixture(scope="session")
def load() -> Callable[..., Loaded]:
    """`load(data, file_name, **kwargs)`: import_file + the common contract checks."""
    from kpi.ingest import import_file

    def _load(data: bytes, file_name: str, **kwargs: Any) -> Loaded:
        loaded = Loaded(import_file(data, file_name, **kwargs), file_name)
        check_contract(loaded)
        return loaded

    return _load
