"""Text cells + a column mapping -> a typed canonical table and its rejected rows.

All row work happens in DuckDB over the Arrow table (no Python loop over
rows). Python only looks at distinct values: to decide date orders and decimal
marks, and to map the few distinct raw statuses, channels and content kinds
through the vocabulary (so folding has a single implementation); the mapped
values join the raw columns as Arrow dictionary columns.

Two passes over the raw columns, both through the same CTEs:
  typed    every mapped field parsed from its text column (NULL if unreadable)
  derived  the output columns (owner defaults, status from status/flags/stage,
           channel through the mapping, closed date from won/lost times...)
1. checks: a temp table with, per line, the first reject rule broken (an index
   into `checks`), the value shown, the id and every non-text output; the
   duplicate ids, the rejects and the counts are read from it.
2. rows (`Staged.rows`): the accepted lines' text outputs, read again from the
   raw columns (only the text ones stay registered), beside the typed values
   of pass 1; inserted by the workspace inside its transaction, or fetched as
   Arrow for a standalone import.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kpi.ingest.errors import UnreadableFile
from kpi.ingest.fold import fold
from kpi.ingest.parse import (
    MAX_NUMBER,
    MAX_YEAR,
    MIN_YEAR,
    PLACEHOLDERS,
    Decision,
    amount_sql,
    currency_in_amount,
    date_sql,
    decide_date_order,
    decide_decimal_mark,
    month_sql,
    placeholder_sql,
)
from kpi.ingest.read import RawTable
from kpi.ingest.vocabulary import (
    CONTENT_KIND_INDEX,
    CUSTOMER_STATUSES,
    DELETED,
    FALSE_WORDS,
    TRUE_WORDS,
    Mappings,
)
from kpi.messages import Message, field_label, msg
from kpi.schema import (
    CONTENT_KINDS,
    DUCKDB_TYPES,
    FIELDS,
    ID_FIELD,
    TABLE_COLUMNS,
    TABLES,
    UNASSIGNED,
    FieldType,
    RejectedRow,
    TableKind,
    field_spec,
)

MAX_SAMPLE_VALUES = 5000
SAMPLE_ROWS = 100_000
MAX_REJECTS_LISTED = 10_000
# A standalone import (tests, tools) gets its own connection with the budget
# of a session's (kpi.workspace.storage.CONNECTION_CONFIG).
IMPORT_CONFIG = {"threads": 2, "memory_limit": "2GB"}


@dataclass
class Hints:
    """What the file as a whole suggests when a column's values cannot decide."""

    date_order: str = "DMY"
    date_reason: Message = field(default_factory=lambda: msg("hint.european"))
    decimal_mark: str = "."
    decimal_reason: Message = field(default_factory=lambda: msg("hint.delimiter",
                                                                 delimiter=","))
    excel_serials: bool = False


@dataclass
class Normalised:
    """The typed rows of one file and what was rejected or dropped."""

    table: pa.Table | None  # exactly TABLE_COLUMNS[kind]; None when staged
    lines: pa.Array | None  # the file line of each row of `table`
    staged: Staged | None  # the rows left in the caller's connection instead
    rows_accepted: int
    rows_rejected: int
    rows_dropped: int
    rejects: list[RejectedRow]
    column_notes: dict[str, Message] = field(default_factory=dict)  # source column -> note
    notes: list[Message] = field(default_factory=list)
    warnings: list[Message] = field(default_factory=list)  # figures that may be misread
    date_order: str | None = None
    decimal_mark: str | None = None


@dataclass
class _Check:
    condition: str  # SQL over the derived columns
    column: str  # the source column to point the user at
    value: str  # SQL of the offending value
    reason: Message


def _distinct_values(table: pa.Table, column: str) -> list[str]:
    """Every distinct non-empty value: for the vocabulary lookups, which must see them all."""
    values = pc.unique(table[column]).to_pylist()
    return [v for v in values if v and v.strip()]


def _sample_values(table: pa.Table, column: str) -> list[str]:
    """Up to MAX_SAMPLE_VALUES distinct non-empty values, to decide a column's format.

    Taken from the first SAMPLE_ROWS rows: hashing a million amounts (nearly
    all distinct) to keep five thousand of them cost more than the decision.
    """
    values = pc.unique(table[column].slice(0, SAMPLE_ROWS)).to_pylist()
    return [v for v in values if v and v.strip()][:MAX_SAMPLE_VALUES]


class _Samples:
    """Each column's sample (`_sample_values`), taken once per file: the file's date
    order, the column's own decision and the currency sign all read it."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table
        self._values: dict[str, list[str]] = {}

    def __call__(self, column: str) -> list[str]:
        if column not in self._values:
            self._values[column] = _sample_values(self.table, column)
        return self._values[column]


# UTF-8 first and last bytes of the characters DuckDB's trim() removes (the
# Unicode space separators: U+0020, U+00A0, U+1680, U+2000-U+200A, U+202F,
# U+205F, U+3000).
_SPACE_FIRST_BYTE = np.zeros(256, bool)
_SPACE_FIRST_BYTE[[0x20, 0xC2, 0xE1, 0xE2, 0xE3]] = True
_SPACE_LAST_BYTE = np.zeros(256, bool)
_SPACE_LAST_BYTE[[0x20, 0xA0, 0x9F, 0xAF, *range(0x80, 0x8B)]] = True


def _needs_trim(column: pa.ChunkedArray) -> bool:
    """Whether some cell may start or end with a space: else the SQL skips trim().

    trim() copies every string (about 40 ms per million cells and per pass);
    most exports have no padding. Only each cell's first and last bytes are
    looked at (numpy over the Arrow buffers); a false yes just keeps trim().
    """
    for chunk in column.chunks:
        if pa.types.is_string(chunk.type):
            dtype = np.int32
        elif pa.types.is_large_string(chunk.type):
            dtype = np.int64
        else:
            return True
        data = chunk.buffers()[2]
        if len(chunk) == 0 or data is None:
            continue
        offsets = np.frombuffer(chunk.buffers()[1], dtype)
        offsets = offsets[chunk.offset:chunk.offset + len(chunk) + 1]
        bytes_ = np.frombuffer(data, np.uint8)
        starts, ends = offsets[:-1], offsets[1:]
        filled = ends > starts
        if (_SPACE_FIRST_BYTE[bytes_[starts[filled]]].any()
                or _SPACE_LAST_BYTE[bytes_[ends[filled] - 1]].any()):
            return True
    return False


# One punctuation byte of each placeholder ('#', '/', "'"): a column holding
# none of them holds no placeholder, and single bytes are searched at memchr speed.
_PLACEHOLDER_BYTES = tuple(sorted({next(c for c in p if not c.isalnum()).encode()
                                   for p in PLACEHOLDERS}))


def _has_placeholders(column: pa.ChunkedArray) -> bool:
    """Whether some cell is a placeholder for "no value" ('#N/A', SuiteCRM's '-99): only
    then does the SQL pay for testing every cell.

    A cell that is one once trimmed holds its punctuation byte: a search of
    the column's text buffers answers for most columns without trimming every
    cell; a yes (dates with slashes, names with apostrophes) goes on to the
    exact test.
    """
    if not any(_buffer_holds(chunk, _PLACEHOLDER_BYTES) for chunk in column.chunks):
        return False
    found = pc.any(pc.is_in(pc.utf8_trim_whitespace(column),
                            value_set=pa.array(sorted(PLACEHOLDERS), pa.string())))
    return bool(found.as_py())


def _buffer_holds(chunk: pa.Array, needles: tuple[bytes, ...]) -> bool:
    """Whether a text chunk's data buffer holds one of `needles` (True when not text)."""
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        return True
    data = chunk.buffers()[2]
    if len(chunk) == 0 or data is None:
        return False
    text = data.to_pybytes()  # bytes beyond the chunk's slice can only give a false yes
    return any(needle in text for needle in needles)


class _Plan:
    """The SQL of one file: typed fields, outputs, lookups, reject checks.

    Raw columns are registered as c0, c1... so a file whose headers are the
    canonical names cannot collide with the typed columns.
    """

    def __init__(self, kind: TableKind, mapping: dict[str, str], raw: pa.Table, hints: Hints,
                 mappings: Mappings, samples: _Samples):
        self.kind = kind
        self.raw = raw
        self.sample = samples
        self.hints = hints
        self.mappings = mappings
        position = {name: i for i, name in enumerate(raw.column_names)}
        self.source_of = {f: s for s, f in mapping.items() if s in position}
        self.column_of = {f: f"c{position[s]}" for f, s in self.source_of.items()}
        self.typed: dict[str, str] = {}
        self.outputs: dict[str, str] = {}
        self.lookups: dict[str, pa.ChunkedArray] = {}  # mapped columns added to the raw ones
        self.trimmed: dict[str, bool] = {}  # source column -> some cell needs trim()
        self.placeheld: dict[str, bool] = {}  # source column -> holds '#N/A'-style cells
        self.checks: list[_Check] = []
        self.notes: list[Message] = []
        self.column_notes: dict[str, Message] = {}
        self.date_orders: list[Decision] = []
        self.numbers: dict[str, str] = {}  # field -> SQL of its value as read (DOUBLE)
        self.decimal_marks: list[Decision] = []

    # --- typed fields -------------------------------------------------------

    def text(self, field_name: str) -> str:
        """SQL of a field's cell as trimmed text, NULL when empty."""
        column = self.column_of.get(field_name)
        if column is None:
            return "CAST(NULL AS VARCHAR)"
        source = self.source_of[field_name]
        if source not in self.trimmed:
            self.trimmed[source] = _needs_trim(self.raw[source])
            self.placeheld[source] = _has_placeholders(self.raw[source])
        text = f"NULLIF(trim({column}), '')" if self.trimmed[source] else f"NULLIF({column}, '')"
        return placeholder_sql(text) if self.placeheld[source] else text

    def type_field(self, field_name: str) -> str:
        """SQL for one field's typed value, recording the decision made for its column."""
        spec = field_spec(self.kind, field_name)
        column = self.column_of.get(field_name)
        if column is None:
            return f"CAST(NULL AS {DUCKDB_TYPES[spec.type]})"
        source = self.source_of[field_name]
        if spec.type in (FieldType.DATE, FieldType.MONTH):
            decision = decide_date_order(self.sample(source),
                                         self.hints.date_order, self.hints.date_reason)
            self.date_orders.append(decision)
            self.column_notes[source] = decision.note
            build = date_sql if spec.type is FieldType.DATE else month_sql
            return build(self.text(field_name), decision.value, self.hints.excel_serials)
        if spec.type in (FieldType.AMOUNT, FieldType.INTEGER):
            decision = decide_decimal_mark(self.sample(source),
                                           self.hints.decimal_mark, self.hints.decimal_reason)
            self.decimal_marks.append(decision)
            self.column_notes[source] = decision.note
            # The value as read goes into its own column so the plausibility
            # check and the typed value share one parse; the typed value is
            # NULL unless finite and below MAX_NUMBER, so no inf, NaN or
            # overflowing cast ever reaches a KPI (the row is rejected).
            number = f'"_number_{field_name}"'
            self.numbers[field_name] = amount_sql(self.text(field_name), decision.value)
            plausible = f"isfinite({number}) AND abs({number}) < {MAX_NUMBER:.0e}"
            value = f"round({number})" if spec.type is FieldType.INTEGER else number
            sql_type = DUCKDB_TYPES[spec.type]
            return f"CASE WHEN {plausible} THEN CAST({value} AS {sql_type}) END"
        if spec.type is FieldType.FLAG:
            value = f"lower({self.text(field_name)})"
            return (f"CASE WHEN list_contains($true_words, {value}) THEN TRUE "
                    f"WHEN list_contains($false_words, {value}) THEN FALSE END")
        return self.text(field_name)

    # --- lookups through the vocabularies ----------------------------------

    def lookup(self, name: str, field_name: str, mapped: dict[str, str | None]) -> str:
        """Map a field's raw values to canonical ones; returns the SQL of the mapped value.

        Done in Arrow over the distinct values (a dictionary column beside the
        raw ones): no join of every row on a text key.
        """
        source = self.source_of.get(field_name)
        if source is None:
            return "CAST(NULL AS VARCHAR)"
        indices = pc.index_in(self.raw[source], value_set=pa.array(list(mapped), pa.string()))
        values = pa.array(list(mapped.values()), pa.string())
        self.lookups[f"m_{name}"] = pa.chunked_array(
            [pa.DictionaryArray.from_arrays(chunk, values) for chunk in indices.chunks],
            pa.dictionary(pa.int32(), pa.string()))
        return f'"m_{name}"'

    def amount_value(self) -> str:
        """SQL of a row's amount: the one already in the company currency when there is one."""
        if "amount_company" in self.source_of:
            return '"amount_company"'
        return '"amount"'

    def distinct(self, field_name: str) -> list[str]:
        source = self.source_of.get(field_name)
        return _distinct_values(self.raw, source) if source is not None else []

    # --- checks ------------------------------------------------------------

    def column(self, field_name: str) -> str:
        return self.source_of.get(field_name, field_name)

    def reject_unreadable(self, field_name: str, what: str) -> None:
        """`what`: "date", "month" or "number" (msg.value.<what>)."""
        if field_name in self.source_of:
            self.checks.append(_Check(
                f'"{field_name}" IS NULL AND {self.text(field_name)} IS NOT NULL',
                self.column(field_name), self.text(field_name),
                msg("reject.unreadable", what=msg(f"value.{what}"))))

    def reject_implausible(self, field_name: str) -> None:
        """Numbers that read but are not finite or are beyond ±MAX_NUMBER (1e400, inf, NaN)."""
        if field_name in self.numbers:
            number = f'"_number_{field_name}"'
            self.checks.append(_Check(
                f'"{field_name}" IS NULL AND {number} IS NOT NULL', self.column(field_name),
                self.text(field_name), msg("reject.implausible", limit=MAX_NUMBER)))

    def reject_missing(self, value_sql: str, field_name: str, reason: Message) -> None:
        self.checks.append(_Check(f"{value_sql} IS NULL", self.column(field_name), "NULL",
                                  reason))

    def reject_out_of_range(self, field_name: str) -> None:
        if field_name in self.source_of:
            year = f'year("{field_name}")'
            self.checks.append(_Check(
                f"({year} < {MIN_YEAR} OR {year} > {MAX_YEAR})", self.column(field_name),
                self.text(field_name), msg("reject.year_range", first=MIN_YEAR, last=MAX_YEAR)))


def _plan_outputs(plan: _Plan) -> None:
    """The output columns of TABLE_COLUMNS[kind], from the typed fields (docs/tables.md)."""
    kind = plan.kind
    fields = {spec.name for spec in FIELDS[kind]}
    for name in TABLE_COLUMNS[kind]:
        if name in fields:
            plan.outputs[name] = f'"{name}"'
    if "owner" in fields:
        plan.outputs["owner"] = f"coalesce(\"owner\", '{UNASSIGNED}')"
    if "channel" in fields:
        mapped = {raw: plan.mappings.channel_of(raw) for raw in plan.distinct("channel")}
        plan.outputs["channel"] = f"coalesce({plan.lookup('channel_map', 'channel', mapped)}, " \
                                  "'unknown')"
        plan.outputs["channel_raw"] = '"channel"'
    deleted = "FALSE"
    if kind in (TableKind.DEALS, TableKind.PROPOSALS):
        status = _plan_status(plan)
        plan.outputs["status"] = status
        plan.outputs["amount"] = f"coalesce({plan.amount_value()}, 0)"
        deleted = f"coalesce({status} = '{DELETED}', FALSE)"
    if kind is TableKind.DEALS:
        status = plan.outputs["status"]
        plan.outputs["closed_at"] = (
            f"CASE WHEN {status} = 'won' THEN coalesce(\"won_at\", \"closed_at\") "
            f"WHEN {status} = 'lost' THEN coalesce(\"lost_at\", \"closed_at\") END"
        )
        plan.outputs["currency"] = _plan_currency(plan)
        if "created_at" not in plan.source_of and "lead_id" in plan.source_of:
            # Recognition let this file in because leads are loaded: a deal was
            # created when its lead first came in (docs/tables.md, leads).
            plan.typed["created_at"] = (f"(SELECT min(l.created_at) FROM leads l "
                                        f"WHERE l.lead_id = {plan.text('lead_id')})")
            plan.notes.append(msg("note.created_from_lead", field=field_label("lead_id")))
        if "deal_id" not in plan.source_of:
            # docs/tables.md: a stable id per row from the file name and line.
            plan.typed["deal_id"] = "$source_file || '#' || CAST(r._line AS VARCHAR)"
            plan.notes.append(msg("note.no_deal_id"))
    if kind is TableKind.LEADS:
        customers = {v: "customer" for v in plan.distinct("lead_status")
                     if fold(v) in CUSTOMER_STATUSES}
        is_customer = plan.lookup("customer_status", "lead_status", customers)
        plan.outputs["converted_at"] = (
            f'coalesce("converted_at", CASE WHEN {is_customer} IS NOT NULL '
            'OR coalesce("is_converted", FALSE) THEN "created_at" END)'
        )
    if kind is TableKind.CONTENT:
        kinds = {v: CONTENT_KIND_INDEX.get(fold(v)) for v in plan.distinct("kind")}
        plan.outputs["kind"] = plan.lookup("kind_map", "kind", kinds)
        plan.outputs["views"] = 'coalesce("views", 0)'
        plan.outputs["likes"] = 'coalesce("likes", 0)'
    if kind is TableKind.USERS:
        # A full name, else the first and last names (Bitrix24's NAME and LAST_NAME).
        plan.outputs["full_name"] = (
            "coalesce(\"full_name\", "
            "nullif(trim(concat_ws(' ', \"first_name\", \"last_name\")), ''))")
    plan.outputs["_deleted"] = deleted


def _plan_status(plan: _Plan) -> str:
    """Status from the status column, else Salesforce's flags, else the stage (docs/tables.md)."""
    raw_values = set(plan.distinct("status")) | set(plan.distinct("stage"))
    mapped = {raw: plan.mappings.status_of(raw) for raw in raw_values}
    by_status = plan.lookup("status_by_status", "status", mapped)
    parts = [by_status]
    if plan.kind is TableKind.DEALS:
        # docs/tables.md, "Statuses": a status or stage that says won, lost or deleted is
        # believed first; then the flags (a Closed flag means lost only beside
        # an Is Won-style flag that is false; an archived Odoo deal is lost);
        # then whatever else the status or stage says (open).
        by_stage = plan.lookup("status_by_stage", "stage", mapped)
        closing = "('won', 'lost', 'deleted')"
        parts = [f"CASE WHEN {by_status} IN {closing} THEN {by_status} END",
                 f"CASE WHEN {by_stage} IN {closing} THEN {by_stage} END"]
        flags = ["WHEN \"is_won\" THEN 'won'"]
        if not {"status", "stage"} & plan.source_of.keys():
            # Only a won or lost date says it (Olist's closed deals: won_date).
            flags += ["WHEN \"won_at\" IS NOT NULL THEN 'won'",
                      "WHEN \"lost_at\" IS NOT NULL THEN 'lost'"]
        if "is_won" in plan.source_of:
            flags.append("WHEN \"is_closed\" AND NOT \"is_won\" THEN 'lost'")
        flags.append("WHEN NOT \"is_active\" THEN 'lost'")
        parts += [f"CASE {' '.join(flags)} END", by_status, by_stage]
        plan.outputs["status_raw"] = 'coalesce("status", "stage")'
    else:
        plan.outputs["status_raw"] = '"status"'
    unknown = sorted(raw for raw in plan.distinct("status") if mapped[raw] is None)
    if unknown:
        plan.notes.append(msg("note.status_open", values=unknown[:10]))
    return f"coalesce({', '.join(parts)}, 'open')"


def _plan_currency(plan: _Plan) -> str:
    """A deal's currency: its currency column, else the amount's symbol or code, else the
    workspace's (an amount already converted to the company currency is the workspace's)."""
    workspace = plan.mappings.currency.upper()
    if "amount_company" in plan.source_of:
        return f"'{_iso_code(workspace)}'"
    from_amount = None
    if "amount" in plan.source_of:
        from_amount = currency_in_amount(plan.sample(plan.source_of["amount"]))
    fallback = f"'{_iso_code(from_amount or workspace)}'"
    if "currency" not in plan.source_of:
        return fallback
    code = 'upper("currency")'
    return f"CASE WHEN regexp_full_match({code}, '[A-Z]{{3}}') THEN {code} ELSE {fallback} END"


def _iso_code(code: str) -> str:
    """An ISO 4217-shaped code, safe to write into SQL (it comes from a setting or a symbol)."""
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"not a currency code: {code!r}")
    return code


def _plan_checks(plan: _Plan) -> None:
    """The reject rules of docs/tables.md, in the order a user should fix them."""
    kind = plan.kind
    id_field = ID_FIELD[kind]
    if id_field:
        plan.reject_missing(f'"{id_field}"', id_field,
                            msg("reject.missing_id", field=field_label(id_field)))
    for spec in FIELDS[kind]:
        if spec.type is FieldType.DATE:
            plan.reject_unreadable(spec.name, "date")
        elif spec.type is FieldType.MONTH:
            plan.reject_unreadable(spec.name, "month")
        elif spec.type in (FieldType.AMOUNT, FieldType.INTEGER):
            plan.reject_implausible(spec.name)
            plan.reject_unreadable(spec.name, "number")
    for spec in FIELDS[kind]:
        if spec.type is FieldType.DATE:
            plan.reject_out_of_range(spec.name)
    for name in TABLES[kind].row_dates:
        plan.reject_missing(f'"{name}"', name,
                            msg("reject.missing_date", field=field_label(name)))
    for condition, name, reason in _TABLE_RULES.get(kind, ()):
        plan.checks.append(_Check(condition, plan.column(name), plan.text(name), reason))
    if kind is TableKind.CHANNEL_COSTS:
        plan.reject_missing('"spend"', "spend", msg("reject.missing_spend"))


# A table's own rules for a row to count (docs/tables.md): the SQL that rejects it,
# the field the user is pointed at, and why.
_TABLE_RULES: dict[TableKind, tuple[tuple[str, str, Message], ...]] = {
    TableKind.DEALS: (("out_status IN ('won', 'lost') AND out_closed_at IS NULL", "closed_at",
                       msg("reject.no_close_date")),),
    TableKind.CONTENT: (("out_kind IS NULL", "kind",
                         msg("reject.content_kind", kinds=list(CONTENT_KINDS))),),
    TableKind.COMPENSATION: (
        ('"annual_package" IS NULL AND ("month" IS NULL OR "package" IS NULL)', "package",
         msg("reject.package")),),
}


def _typed_ctes(typed: dict[str, str], outputs: dict[str, str], source: str, where: str = "",
                carried: str = "") -> str:
    """WITH typed (fields parsed from text), derived (the output columns) over `source`."""
    fields = ", ".join(f'{sql} AS "{name}"' for name, sql in typed.items())
    derived = ", ".join(f"{sql} AS out_{name}" for name, sql in outputs.items())
    return f"""
        WITH typed AS (
          SELECT r.*, {carried} {fields} FROM {source} {where}
        ), derived AS (
          SELECT typed.*, {derived} FROM typed
        )"""


_QUOTED_NAME = re.compile(r'"(\w+)"')
_RAW_COLUMN = re.compile(r"\b(c\d+)\b")


def _text_pass(plan: _Plan) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(typed fields, outputs, raw columns) the insert pass reads again: the text outputs only.

    Typed values come from the checks table, so the raw columns of dates,
    amounts and flags and the lookups of ENUM outputs can be freed before the
    insert, the moment an import needs the most memory (~50 MB at 1M deals).
    """
    outputs = {name: plan.outputs[name] for name, sql_type in TABLE_COLUMNS[plan.kind].items()
               if sql_type == "VARCHAR" and name in plan.outputs}
    names = set(_QUOTED_NAME.findall(" ".join(outputs.values())))
    typed = {name: sql for name, sql in plan.typed.items() if name in names}
    columns = set(_RAW_COLUMN.findall(" ".join(typed.values()))) | (names & set(plan.lookups))
    return typed, outputs, sorted(columns)


def _typed_columns(kind: TableKind) -> dict[str, str]:
    """Output columns that are not text: computed once, in the checks query."""
    return {name: sql_type for name, sql_type in TABLE_COLUMNS[kind].items()
            if sql_type != "VARCHAR"}


def _checks_query(plan: _Plan, raw: str, checked: str) -> str:
    """One row per line: the first broken rule, the value shown, the id, the typed values.

    No text column is kept (beside the id): the insert reads text again from
    the raw columns, which costs less than holding a million rows of text in a
    temp table and copying them once more.
    """
    check = "NULL"
    value = "NULL"
    if plan.checks:
        check = "CASE " + " ".join(
            f"WHEN {c.condition} THEN {i}" for i, c in enumerate(plan.checks)) + " END"
        value = "CASE _check " + " ".join(
            f"WHEN {i} THEN CAST({c.value} AS VARCHAR)" for i, c in enumerate(plan.checks)
        ) + " END"
    id_field = ID_FIELD[plan.kind]
    no_amount = (f"{plan.amount_value()} IS NULL"
                 if plan.kind in (TableKind.DEALS, TableKind.PROPOSALS) else "FALSE")
    kept = ["_line", "_check", f"{value} AS _value", "out__deleted AS _deleted",
            f"{no_amount} AS _no_amount",
            f"out_{id_field} AS _id" if id_field else "CAST(NULL AS VARCHAR) AS _id"]
    if plan.kind is TableKind.DEALS:
        kept.append("out_currency AS _currency")
    for name, sql_type in _typed_columns(plan.kind).items():
        # TRY_CAST: a deleted deal's status ('deleted') is no ENUM value; the row is dropped.
        kept.append(f'TRY_CAST(out_{name} AS {sql_type}) AS "_v_{name}"')
    return f"""
        CREATE TEMP TABLE {checked} AS
        {_typed_ctes(plan.typed, plan.outputs, f"{raw} r")}, checked AS (
          SELECT *, {check} AS _check FROM derived
        )
        SELECT {", ".join(kept)} FROM checked
    """


def _duplicates_query(checked: str, duplicates: str) -> str:
    """The ids held by several valid rows, with the first line holding each.

    An aggregate over the ids, then a join on the few duplicated ones: a
    window over every row cost most of a million-row import.
    """
    return f"""
        CREATE TEMP TABLE {duplicates} AS
        SELECT _id AS id, min(_line) AS first_line FROM {checked}
        WHERE _check IS NULL AND NOT _deleted AND _id IS NOT NULL
        GROUP BY _id HAVING count(*) > 1
    """


class Staged:
    """The accepted rows of one file, ready to be inserted by SQL in the same connection.

    The workspace inserts them in its own transaction, so the rows never go
    through Python or Arrow; `drop` frees the views and temp tables either way.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.rows = ""  # SQL of the accepted rows: TABLE_COLUMNS[kind] + _line
        self.ids = ""  # SQL of (_line, id) of the accepted rows, for ids held elsewhere
        self.params: dict = {}
        self.views: list[str] = []
        self.temp_tables: list[str] = []

    def to_arrow(self, expected: int) -> tuple[pa.Table, pa.Array]:
        """The accepted rows and the file line of each."""
        rows = self.con.sql(self.rows, params=self.params).to_arrow_table()
        check_count(rows.num_rows, expected)
        return rows.drop_columns(["_line"]), rows["_line"].combine_chunks()

    def temp_table(self, role: str) -> str:
        """Name one more temp table of this file (a later rule's), dropped by `drop`."""
        name = f"{self.temp_tables[0]}_{role}"
        self.temp_tables.append(name)
        return name

    def drop(self) -> None:
        for name in self.views:
            self.con.unregister(name)
        for name in self.temp_tables:
            self.con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
        self.views, self.temp_tables = [], []


def check_count(rows: int, expected: int) -> None:
    """The accepted rows, as typed, must be as many as the checks counted."""
    if rows != expected:
        raise RuntimeError(f"importer: {rows} rows typed, {expected} accepted")


def too_large(file_name: str) -> UnreadableFile:
    return UnreadableFile(msg("file.out_of_memory", file=file_name))


_imports = itertools.count()


def normalise(
    raw: RawTable,
    kind: TableKind,
    mapping: dict[str, str],
    file_name: str,
    mappings: Mappings | None = None,
    hints: Hints | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Normalised:
    """Type every mapped column of `raw` as table `kind`; reject what cannot be read.

    With `con` (a workspace's connection) the accepted rows are left to insert
    from it (`Normalised.staged`); without it they come back as an Arrow table.
    """
    table = raw.table
    suffix = f"_{next(_imports)}"
    samples = _Samples(table)
    hints = _file_date_order(table, kind, mapping, hints or Hints(), samples)
    plan = _Plan(kind, mapping, table, hints, mappings or Mappings(), samples)
    typed = {spec.name: plan.type_field(spec.name) for spec in FIELDS[kind]}
    # Numbers as read come first: the typed values refer to them by name.
    plan.typed = {**{f"_number_{f}": sql for f, sql in plan.numbers.items()}, **typed}
    _plan_outputs(plan)
    _plan_checks(plan)
    lines = raw.row_numbers if raw.row_numbers is not None else pa.array(
        np.arange(table.num_rows, dtype=np.int64) + raw.header_row + 1)
    id_field = ID_FIELD[kind]
    checked, duplicates, raw_view = f"_checked{suffix}", f"_duplicates{suffix}", f"_raw{suffix}"
    own = con is None
    if con is None:
        con = duckdb.connect(config=IMPORT_CONFIG)
    staged = Staged(con)
    try:
        # Only the mapped columns go in (as c<position>): a 5,000-column export
        # must not be copied whole into the query's temp table.
        used = sorted({int(column[1:]) for column in plan.column_of.values()})
        columns = {f"c{i}": table.column(i) for i in used} or {
            "_empty": pa.nulls(table.num_rows, pa.string())}
        staged.views = [raw_view]
        staged.temp_tables = [checked, duplicates]
        registered = pa.table({**columns, **plan.lookups, "_line": lines})
        con.register(raw_view, registered)
        parameters = {"true_words": sorted(TRUE_WORDS), "false_words": sorted(FALSE_WORDS),
                      "source_file": file_name}
        query = _checks_query(plan, raw_view, checked)
        con.execute(query, _used(parameters, query)).fetchall()
        first_line = "CAST(NULL AS BIGINT)"
        source = checked
        accepted = "k._check IS NULL AND NOT k._deleted"
        if id_field:
            con.execute(_duplicates_query(checked, duplicates)).fetchall()
            if con.execute(f"SELECT count(*) FROM {duplicates}").fetchall()[0][0]:
                first_line = "d.first_line"
                source = (f"{checked} k LEFT JOIN {duplicates} d ON d.id = k._id "
                          "AND k._check IS NULL AND NOT k._deleted")
                accepted += (f" AND NOT EXISTS (SELECT 1 FROM {duplicates} d "
                             "WHERE d.id = k._id AND d.first_line <> k._line)")
        typed_columns = _typed_columns(kind)
        out_columns = ", ".join(
            f'"_v_{name}" AS "{name}"' if name in typed_columns else
            f'CAST({"$source_file" if name == "source_file" else "out_" + name} AS VARCHAR)'
            f' AS "{name}"'
            for name in TABLE_COLUMNS[kind]
        )
        # Text from the raw columns, typed values from the checks table: both
        # are in file order (no join reorders them), so a positional join pairs
        # them without hashing; equal lines are required all the same, and the
        # inserted count is checked against the accepted count.
        carried = "".join(f'k."_v_{name}", ' for name in typed_columns)
        text_typed, text_outputs, text_columns = _text_pass(plan)
        con.unregister(raw_view)
        con.register(raw_view, registered.select([*text_columns, "_line"]))
        staged.rows = (_typed_ctes(text_typed, text_outputs,
                                   f"{raw_view} r POSITIONAL JOIN {checked} k",
                                   f"WHERE r._line = k._line AND {accepted}", carried)
                       + f" SELECT {out_columns}, _line FROM derived")
        staged.ids = f"SELECT k._line, k._id AS id FROM {checked} k WHERE {accepted}"
        staged.params = {"source_file": file_name, **_used(parameters, staged.rows)}
        is_first = f"coalesce({first_line} = _line, TRUE)"
        rejected = f"NOT _deleted AND NOT coalesce(_check IS NULL AND {is_first}, FALSE)"
        reject_rows = con.execute(
            f"SELECT _line, _check, _value, {first_line} FROM {source} WHERE {rejected} "
            f"ORDER BY _line LIMIT {MAX_REJECTS_LISTED}"
        ).fetchall()
        counts = con.execute(
            f"SELECT count(*) FILTER (WHERE _check IS NULL AND NOT _deleted AND {is_first}), "
            f"count(*) FILTER (WHERE {rejected}), count(*) FILTER (WHERE _deleted), "
            f"count(*) FILTER (WHERE _check IS NULL AND _no_amount) FROM {source}"
        ).fetchall()[0]
        plan.notes.extend(_currency_notes(con, plan, checked))
        plan.notes.extend(_early_close_notes(con, plan, checked))
        warnings = _misread_warnings(con, plan, checked)
        rows = row_lines = None
        if own:
            rows, row_lines = staged.to_arrow(counts[0])
    except duckdb.OutOfMemoryException as exc:
        staged.drop()
        raise too_large(file_name) from exc
    except BaseException:
        staged.drop()
        raise
    finally:
        if own:
            staged.drop()
            con.close()

    rows_accepted, rows_rejected, rows_dropped, empty_amounts = counts
    rejects = []
    for line, check, value, first_line in reject_rows:
        if check is not None:
            c = plan.checks[check]
            rejects.append(RejectedRow(row=line, column=c.column, value=value, reason=c.reason))
        else:
            rejects.append(RejectedRow(
                row=line, column=plan.column(id_field or ""), value=None,
                reason=msg("reject.duplicate", field=field_label(id_field or ""),
                           line=first_line)))
    has_amount = bool({"amount", "amount_company"} & plan.source_of.keys())
    if empty_amounts and has_amount:
        plan.notes.append(msg("note.empty_amounts", count=empty_amounts))
    elif kind is TableKind.DEALS and rows_accepted and not has_amount:
        plan.notes.append(msg("note.no_amount_column"))
    if rows_rejected > MAX_REJECTS_LISTED:
        plan.notes.append(msg("note.rejects_capped", count=MAX_REJECTS_LISTED))
    if rows_dropped:
        plan.notes.append(msg("note.deleted_dropped", count=rows_dropped))
    return Normalised(
        table=rows,
        lines=row_lines,
        staged=None if own else staged,
        rows_accepted=rows_accepted,
        rows_rejected=rows_rejected,
        rows_dropped=rows_dropped,
        rejects=rejects,
        column_notes=plan.column_notes,
        notes=plan.notes,
        warnings=warnings,
        date_order=_majority(plan.date_orders),
        decimal_mark=_majority(plan.decimal_marks),
    )


def _file_date_order(table: pa.Table, kind: TableKind, mapping: dict[str, str],
                     hints: Hints, samples: _Samples) -> Hints:
    """The day/month order the file's own date columns decide, as the hint for the rest.

    A column of 03/01/2024 cannot tell; beside a column holding 15/01/2024 in the
    same file it is day first too (one export, one date format).
    """
    dated = [source for source, name in mapping.items() if source in table.column_names
             and field_spec(kind, name).type in (FieldType.DATE, FieldType.MONTH)]
    orders = [d.value for d in (decide_date_order(samples(source), hints.date_order,
                                                  hints.date_reason) for source in dated)
              if d.from_values and d.value in ("DMY", "MDY")]
    if not orders:
        return hints
    order = max(sorted(set(orders)), key=orders.count)
    return replace(hints, date_order=order,
                   date_reason=msg(f"hint.other_columns_{order.lower()}"))


def _used(parameters: dict, sql: str) -> dict:
    """The parameters a query names (DuckDB refuses unused named parameters)."""
    return {name: value for name, value in parameters.items() if f"${name}" in sql}


def _currency_notes(con: duckdb.DuckDBPyConnection, plan: _Plan,
                    checked: str) -> list[Message]:
    if plan.kind is not TableKind.DEALS:
        return []
    currencies = [row[0] for row in con.execute(
        f"SELECT DISTINCT _currency FROM {checked} WHERE _check IS NULL ORDER BY 1 LIMIT 10"
    ).fetchall()]
    if len(currencies) > 1:
        return [msg("note.currencies", currencies=currencies)]
    return []


def _early_close_notes(con: duckdb.DuckDBPyConnection, plan: _Plan,
                       checked: str) -> list[Message]:
    """Deals closed before they were created (entered after the fact) are kept (docs/tables.md)."""
    if plan.kind is not TableKind.DEALS:
        return []
    count = con.execute(
        f'SELECT count(*) FROM {checked} WHERE _check IS NULL AND NOT _deleted '
        'AND "_v_closed_at" < "_v_created_at"').fetchall()[0][0]
    if not count:
        return []
    return [msg("note.early_close", count=count)]


# Above this share of rows read as `other`, a source column is probably misread.
MOSTLY_OTHER = 0.5


def _misread_warnings(con: duckdb.DuckDBPyConnection, plan: _Plan,
                      checked: str) -> list[Message]:
    """Figures that would look plausible but be wrong: no deal ever won or lost, sources
    mostly `other`. Each names the raw values, so the user can map them."""
    warnings = []
    status_sources = [f for f in ("status", "stage") if f in plan.source_of]
    has_status = plan.kind in (TableKind.DEALS, TableKind.PROPOSALS) and status_sources
    has_channel = "channel" in plan.source_of and "channel" in TABLE_COLUMNS[plan.kind]
    if not (has_status or has_channel):
        return []
    status_count = ("count(*) FILTER (WHERE \"_v_status\" IN ('won', 'lost'))"
                    if has_status else "1")
    other_count = ("count(*) FILTER (WHERE \"_v_channel\" = 'other')"
                   if has_channel else "0")
    rows, closed, other = con.execute(
        f"SELECT count(*), {status_count}, {other_count} FROM {checked} "
        "WHERE _check IS NULL AND NOT _deleted").fetchall()[0]
    if not rows:
        return []
    if has_status and not closed:
        raws = sorted({v for f in status_sources for v in plan.distinct(f)})
        warnings.append(msg("warning.all_open", values=_shown(raws)))
    if has_channel and other > MOSTLY_OTHER * rows:
        raws = sorted(v for v in plan.distinct("channel")
                      if plan.mappings.channel_of(v) == "other")
        warnings.append(msg("warning.mostly_other", share=round(100 * other / rows),
                            values=_shown(raws)))
    return warnings


def _shown(values: list[str], limit: int = 8) -> Message:
    """The first `limit` raw values (40 characters each), quoted, and how many more."""
    shown = [v[:40] for v in values[:limit]]
    if len(values) > limit:
        return msg("and_more", values=shown, more=len(values) - limit)
    return msg("values", values=shown)


def _majority(decisions: list[Decision]) -> str | None:
    if not decisions:
        return None
    values = [d.value for d in decisions if d.from_values] or [d.value for d in decisions]
    return max(sorted(set(values)), key=values.count)
