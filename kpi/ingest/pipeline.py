"""import_file: bytes -> recognised, typed canonical rows + the import report.

The one entry point the app's Data page, the workspace and the command line
share, so a file gives the same figures everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from kpi.ingest.errors import UnreadableFile
from kpi.ingest.normalise import Hints, Staged, normalise
from kpi.ingest.read import RawTable, read_raw
from kpi.ingest.recognise import Recognition, linked_fields, missing_fields, recognise
from kpi.ingest.vocabulary import Mappings, match_header
from kpi.messages import Message, field_label, msg, table_label
from kpi.schema import ColumnDecision, FileReport, RejectedRow, TableKind

if TYPE_CHECKING:  # profile.py is loaded only for files whose headers leave fields missing
    from kpi.ingest.profile import Proposal


@dataclass
class ImportResult:
    """Typed rows (exactly TABLE_COLUMNS[report.table]) and what happened.

    With a connection given to `import_file`, the rows wait in it (`staged`)
    and `table`/`lines` are None.
    """

    table: pa.Table | None
    report: FileReport
    lines: pa.Array | None  # the file line of each row of `table`
    staged: Staged | None = None


def _hints(raw: RawTable) -> Hints:
    """Locale hints for columns whose values cannot decide (docs/tables.md)."""
    european = raw.delimiter == ";" or raw.encoding == "cp1252"
    if european:
        reason = (msg("hint.delimiter", delimiter=raw.delimiter)
                  if raw.delimiter == ";" else msg("hint.windows"))
        return Hints("DMY", reason, ",", reason, excel_serials=raw.file_format == "xlsx")
    if raw.delimiter in (",", "\t"):
        reason = msg("hint.us_delimiter")
        return Hints("MDY", reason, ".", reason)
    return Hints("DMY", msg("hint.common_order"), ".", msg("hint.common_mark"),
                 excel_serials=raw.file_format == "xlsx")


def import_file(
    data: bytes,
    file_name: str,
    kind: TableKind | None = None,
    mapping: dict[str, str] | None = None,
    mappings: Mappings | None = None,
    sheet: str | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> ImportResult:
    """Read, recognise and normalise one export. `mapping` (source -> field) is complete when given.

    `con`: type the rows inside this connection and leave them staged there.

    Raises UnreadableFile when the file cannot be used at all; row problems
    become rejected rows in the report.
    """
    raw = read_raw(data, file_name, sheet=sheet)
    headers = raw.table.column_names
    if mapping is not None:
        unknown = sorted(set(mapping) - set(headers))
        if unknown:
            raise UnreadableFile(msg("file.unknown_columns", file=file_name, columns=unknown))
        if kind is None:
            kind = recognise(list(mapping)).table
        if kind is None:
            raise UnreadableFile(msg("file.choose_table", file=file_name))
    leads_loaded = con is not None and con.execute(
        "SELECT count(*) > 0 FROM leads").fetchall()[0][0]
    recognition = recognise(headers, kind, leads_loaded)
    from_values: list[Proposal] = []
    if mapping is None and (recognition.table is None or recognition.missing):
        recognition, from_values = _complete_from_values(raw, recognition)
    if recognition.table is None:
        message = _not_recognised(file_name, headers, recognition.closest, recognition.missing)
        raise UnreadableFile(message, _refused_report(raw, file_name, recognition.closest,
                                                      recognition.mapping, message,
                                                      recognition, from_values))
    kind = recognition.table
    if mapping is None:
        mapping = recognition.mapping
        missing = recognition.missing
    else:
        missing = missing_fields(kind, mapping, linked_fields(kind, mapping, leads_loaded))
    if missing:
        message = msg("file.missing_fields", file=file_name, table=table_label(kind.value),
                      fields=_fields(missing))
        raise UnreadableFile(message, _refused_report(raw, file_name, kind, mapping, message,
                                                      recognition, from_values))
    result = normalise(raw, kind, mapping, file_name, mappings, _hints(raw), con)
    ignored = _ignored_duplicates(kind, headers, mapping)
    if raw.table.num_rows == 0 and not raw.broken_rows:
        result.notes.append(msg("note.no_rows"))
    broken = [RejectedRow(row=line, reason=msg("reject.malformed", problem=problem))
              for line, problem in raw.broken_rows]
    report = FileReport(
        file=file_name,
        table=kind,
        sheet=raw.sheet,
        encoding=raw.encoding,
        delimiter=raw.delimiter,
        decimal_mark=result.decimal_mark,
        date_order=result.date_order,
        header_row=raw.header_row,
        columns=[ColumnDecision(source=h, field=mapping.get(h),
                                note=result.column_notes.get(h) or ignored.get(h),
                                samples=_samples(raw, h))
                 for h in headers],
        rows_read=raw.table.num_rows + len(broken),
        rows_accepted=result.rows_accepted,
        rows_rejected=result.rows_rejected + len(broken),
        rows_dropped=result.rows_dropped,
        rejects=sorted(broken + result.rejects, key=lambda r: r.row),
        notes=raw.notes + [_read_from_values(p) for p in from_values] + result.notes,
        warnings=result.warnings,
        dialect=recognition.dialect,
        alternative=recognition.alternative,
    )
    return ImportResult(table=result.table, report=report, lines=result.lines,
                        staged=result.staged)


SAMPLES_SHOWN = 3
SAMPLE_SCAN_ROWS = 200


def _samples(raw: RawTable, header: str) -> list[str]:
    """A few distinct values of a column, for whoever maps it by hand."""
    values = pc.unique(raw.table[header].slice(0, SAMPLE_SCAN_ROWS)).to_pylist()
    return [_cut(v) for v in values if v and v.strip()][:SAMPLES_SHOWN]


def _complete_from_values(raw: RawTable,
                          recognition: Recognition) -> tuple[Recognition, list[Proposal]]:
    """Fill the fields headers left missing from what the columns hold (profile.py).

    Sure proposals complete the mapping; when they make a table usable it is
    chosen and the report says which columns were read from their values.
    Otherwise every proposal, sure or not, is returned as a suggestion.
    """
    from kpi.ingest.profile import SURE, profile_columns

    targets = [recognition.table or recognition.closest] if (
        recognition.table or recognition.closest) else list(TableKind)
    best: tuple[Recognition, list[Proposal]] | None = None
    suggestions: list[Proposal] = []
    for target in targets:
        proposals = profile_columns(raw.table, target, recognition.mapping)
        sure = [p for p in proposals if p.confidence >= SURE]
        mapping = {**recognition.mapping, **{p.source: p.field for p in sure}}
        if not missing_fields(target, mapping):
            confidence = sum(p.confidence for p in sure)
            if best is None or confidence > sum(p.confidence for p in best[1]):
                best = (Recognition(target, mapping, [], recognition.candidates,
                                    dialect=recognition.dialect), sure)
        elif not suggestions:
            suggestions = proposals
    if best is not None:
        return best
    return recognition, suggestions


def _read_from_values(proposal: Proposal) -> Message:
    return msg("note.read_from_values", column=proposal.source,
               field=field_label(proposal.field), evidence=proposal.evidence)


def _refused_report(raw: RawTable, file_name: str, kind: TableKind | None,
                    mapping: dict[str, str], message: Message, recognition: Recognition,
                    suggestions: list[Proposal]) -> FileReport:
    """What was found in a file that could not be loaded, for the mapping editor: the
    headers' mapping, completed by the fields the values suggest (each with its reason)."""
    suggested = {p.source: p for p in suggestions
                 if p.source not in mapping and p.field not in mapping.values()}
    fields = {**mapping, **{source: p.field for source, p in suggested.items()}}
    return FileReport(
        file=file_name, table=kind, sheet=raw.sheet, encoding=raw.encoding,
        delimiter=raw.delimiter, header_row=raw.header_row,
        columns=[ColumnDecision(source=h, field=fields.get(h), samples=_samples(raw, h),
                                note=(msg("column.suggested", evidence=suggested[h].evidence)
                                      if h in suggested else None))
                 for h in raw.table.column_names],
        rows_read=raw.table.num_rows + len(raw.broken_rows), notes=list(raw.notes),
        error=message, dialect=recognition.dialect, alternative=recognition.alternative,
    )


def _ignored_duplicates(kind: TableKind, headers: list[str],
                        mapping: dict[str, str]) -> dict[str, Message]:
    """Unmapped columns that name a field another column already fills: source -> note."""
    source_of = {field_name: source for source, field_name in mapping.items()}
    notes = {}
    for header in headers:
        if header in mapping:
            continue
        taken = [f for _, f in match_header(kind, header) if f in source_of]
        if taken:
            notes[header] = msg("column.ignored", field=field_label(taken[0]),
                                source=source_of[taken[0]])
    return notes


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _not_recognised(file_name: str, headers: list[str], closest: TableKind | None,
                    missing: list[tuple[str, ...]]) -> Message:
    shown = ", ".join(_cut(h) for h in headers[:8]) + ("…" if len(headers) > 8 else "")
    if closest is None:
        return msg("file.not_recognised", file=file_name, headers=shown)
    return msg("file.looks_like", file=file_name, table=table_label(closest.value),
               fields=_fields(missing), headers=shown)


def _fields(missing: list[tuple[str, ...]]) -> list[Message]:
    """Missing required fields as labels; a group of alternatives reads "a or b"."""
    return [field_label(group[0]) if len(group) == 1
            else msg("either", fields=[field_label(name) for name in group])
            for group in missing]


__all__ = ["ImportResult", "import_file"]
