"""Text cells + a column mapping -> a typed canonical table and its rejected rows.

All row work happens in one DuckDB query over the Arrow table (no Python loop
over rows). Python only looks at distinct values: to decide date orders and
decimal marks, and to map the few distinct raw statuses, channels and content
kinds through the vocabulary (so folding has a single implementation).

The query has four steps:
  typed    every mapped field parsed from its text column (NULL if unreadable)
  derived  the output columns (owner defaults, status from status/flags/stage,
           channel through the mapping, closed date from won/lost times...)
  checked  the first reject rule a row breaks, as an index into `checks`
  parsed   + the rejected value and, for ids, the first line holding the id
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    Decision,
    amount_sql,
    date_sql,
    decide_date_order,
    decide_decimal_mark,
    month_sql,
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
from kpi.schema import (
    DUCKDB_TYPES,
    FIELDS,
    ID_FIELD,
    TABLE_COLUMNS,
    UNASSIGNED,
    FieldType,
    RejectedRow,
    TableKind,
    field_spec,
)

MAX_SAMPLE_VALUES = 5000
MAX_REJECTS_LISTED = 10_000


@dataclass
class Hints:
    """What the file as a whole suggests when a column's values cannot decide."""

    date_order: str = "DMY"
    date_reason: str = "the file looks European"
    decimal_mark: str = "."
    decimal_reason: str = "the file uses ',' between fields"
    excel_serials: bool = False


@dataclass
class Normalised:
    """The typed rows of one file and what was rejected or dropped."""

    table: pa.Table  # exactly TABLE_COLUMNS[kind]
    lines: pa.Array  # the file line of each row of `table`
    rows_rejected: int
    rows_dropped: int
    rejects: list[RejectedRow]
    column_notes: dict[str, str] = field(default_factory=dict)  # source column -> note
    notes: list[str] = field(default_factory=list)
    date_order: str | None = None
    decimal_mark: str | None = None


@dataclass
class _Check:
    condition: str  # SQL over the derived columns
    column: str  # the source column to point the user at
    value: str  # SQL of the offending value
    reason: str


def _distinct_values(table: pa.Table, column: str) -> list[str]:
    """Every distinct non-empty value: for the vocabulary lookups, which must see them all."""
    values = pc.unique(table[column]).to_pylist()
    return [v for v in values if v and v.strip()]


def _sample_values(table: pa.Table, column: str) -> list[str]:
    """Up to MAX_SAMPLE_VALUES distinct non-empty values, to decide a column's format.

    Only that many are turned into Python strings: a million amounts are not.
    """
    values = pc.unique(table[column]).slice(0, MAX_SAMPLE_VALUES + 1000).to_pylist()
    return [v for v in values if v and v.strip()][:MAX_SAMPLE_VALUES]


class _Plan:
    """The SQL of one file: typed fields, outputs, lookups, reject checks.

    Raw columns are registered as c0, c1... so a file whose headers are the
    canonical names cannot collide with the typed columns.
    """

    def __init__(self, kind: TableKind, mapping: dict[str, str], raw: pa.Table, hints: Hints,
                 mappings: Mappings):
        self.kind = kind
        self.raw = raw
        self.hints = hints
        self.mappings = mappings
        position = {name: i for i, name in enumerate(raw.column_names)}
        self.source_of = {f: s for s, f in mapping.items() if s in position}
        self.column_of = {f: f"c{position[s]}" for f, s in self.source_of.items()}
        self.typed: dict[str, str] = {}
        self.outputs: dict[str, str] = {}
        self.joins: list[str] = []
        self.lookups: dict[str, pa.Table] = {}
        self.checks: list[_Check] = []
        self.notes: list[str] = []
        self.column_notes: dict[str, str] = {}
        self.date_orders: list[Decision] = []
        self.numbers: dict[str, str] = {}  # field -> SQL of its value as read (DOUBLE)
        self.decimal_marks: list[Decision] = []

    # --- typed fields -------------------------------------------------------

    def text(self, field_name: str) -> str:
        column = self.column_of.get(field_name)
        return f"NULLIF(trim({column}), '')" if column else "CAST(NULL AS VARCHAR)"

    def type_field(self, field_name: str) -> str:
        """SQL for one field's typed value, recording the decision made for its column."""
        spec = field_spec(self.kind, field_name)
        column = self.column_of.get(field_name)
        if column is None:
            return f"CAST(NULL AS {DUCKDB_TYPES[spec.type]})"
        source = self.source_of[field_name]
        if spec.type in (FieldType.DATE, FieldType.MONTH):
            decision = decide_date_order(_sample_values(self.raw, source),
                                         self.hints.date_order, self.hints.date_reason)
            self.date_orders.append(decision)
            self.column_notes[source] = decision.note
            build = date_sql if spec.type is FieldType.DATE else month_sql
            return build(column, decision.value, self.hints.excel_serials)
        if spec.type in (FieldType.AMOUNT, FieldType.INTEGER):
            decision = decide_decimal_mark(_sample_values(self.raw, source),
                                           self.hints.decimal_mark, self.hints.decimal_reason)
            self.decimal_marks.append(decision)
            self.column_notes[source] = decision.note
            # The value as read goes into its own column so the plausibility
            # check and the typed value share one parse; the typed value is
            # NULL unless finite and below MAX_NUMBER, so no inf, NaN or
            # overflowing cast ever reaches a KPI (the row is rejected).
            number = f'"_number_{field_name}"'
            self.numbers[field_name] = amount_sql(column, decision.value)
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
        """Join a raw -> canonical table on a field; returns the SQL of the mapped value."""
        self.lookups[name] = pa.table({
            "raw": pa.array(list(mapped), pa.string()),
            "mapped": pa.array(list(mapped.values()), pa.string()),
        })
        self.joins.append(f'LEFT JOIN {name} ON {name}.raw = "{field_name}"')
        return f"{name}.mapped"

    def distinct(self, field_name: str) -> list[str]:
        source = self.source_of.get(field_name)
        return _distinct_values(self.raw, source) if source is not None else []

    # --- checks ------------------------------------------------------------

    def column(self, field_name: str) -> str:
        return self.source_of.get(field_name, field_name)

    def reject_unreadable(self, field_name: str, what: str) -> None:
        if field_name in self.source_of:
            self.checks.append(_Check(
                f'"{field_name}" IS NULL AND {self.text(field_name)} IS NOT NULL',
                self.column(field_name), self.text(field_name), f"cannot read this as {what}"))

    def reject_implausible(self, field_name: str) -> None:
        """Numbers that read but are not finite or are beyond ±MAX_NUMBER (1e400, inf, NaN)."""
        if field_name in self.numbers:
            number = f'"_number_{field_name}"'
            self.checks.append(_Check(
                f'"{field_name}" IS NULL AND {number} IS NOT NULL', self.column(field_name),
                self.text(field_name),
                f"not a plausible number (infinite, NaN or beyond ±{MAX_NUMBER:.0e})"))

    def reject_missing(self, value_sql: str, field_name: str, label: str) -> None:
        self.checks.append(_Check(f"{value_sql} IS NULL", self.column(field_name), "NULL",
                                  f"{label} is missing"))

    def reject_out_of_range(self, field_name: str) -> None:
        if field_name in self.source_of:
            year = f'year("{field_name}")'
            self.checks.append(_Check(
                f"({year} < {MIN_YEAR} OR {year} > {MAX_YEAR})", self.column(field_name),
                self.text(field_name), f"the date is outside the years {MIN_YEAR}-{MAX_YEAR}"))


def _plan_outputs(plan: _Plan) -> None:
    """The output columns of TABLE_COLUMNS[kind], from the typed fields (KPI_SPEC.md §1-3)."""
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
        plan.outputs["amount"] = 'coalesce("amount", 0)'
        deleted = f"coalesce({status} = '{DELETED}', FALSE)"
    if kind is TableKind.DEALS:
        status = plan.outputs["status"]
        plan.outputs["closed_at"] = (
            f"CASE WHEN {status} = 'won' THEN coalesce(\"won_at\", \"closed_at\") "
            f"WHEN {status} = 'lost' THEN coalesce(\"lost_at\", \"closed_at\") END"
        )
    if kind is TableKind.LEADS:
        customers = {v: "customer" for v in plan.distinct("lead_status")
                     if fold(v) in CUSTOMER_STATUSES}
        is_customer = plan.lookup("customer_status", "lead_status", customers)
        plan.outputs["converted_at"] = (
            f'coalesce("converted_at", CASE WHEN {is_customer} IS NOT NULL '
            'THEN "created_at" END)'
        )
    if kind is TableKind.CONTENT:
        kinds = {v: CONTENT_KIND_INDEX.get(fold(v)) for v in plan.distinct("kind")}
        plan.outputs["kind"] = plan.lookup("kind_map", "kind", kinds)
        plan.outputs["views"] = 'coalesce("views", 0)'
        plan.outputs["likes"] = 'coalesce("likes", 0)'
    plan.outputs["_deleted"] = deleted


def _plan_status(plan: _Plan) -> str:
    """Status from the status column, else Salesforce's flags, else the stage (§3)."""
    raw_values = set(plan.distinct("status")) | set(plan.distinct("stage"))
    mapped = {raw: plan.mappings.status_of(raw) for raw in raw_values}
    by_status = plan.lookup("status_by_status", "status", mapped)
    parts = [by_status]
    if plan.kind is TableKind.DEALS:
        parts.append("CASE WHEN \"is_won\" THEN 'won' WHEN \"is_closed\" THEN 'lost' "
                     "WHEN NOT \"is_closed\" THEN 'open' END")
        parts.append(plan.lookup("status_by_stage", "stage", mapped))
        plan.outputs["status_raw"] = 'coalesce("status", "stage")'
    else:
        plan.outputs["status_raw"] = '"status"'
    unknown = sorted(raw for raw, status in mapped.items() if status is None)
    if unknown and "status" in plan.source_of:
        shown = ", ".join(repr(v) for v in unknown[:10])
        plan.notes.append(f"Status values read as open: {shown}.")
    return f"coalesce({', '.join(parts)}, 'open')"


def _plan_checks(plan: _Plan) -> None:
    """The reject rules of KPI_SPEC.md §1, in the order a user should fix them."""
    kind = plan.kind
    id_field = ID_FIELD[kind]
    if id_field:
        plan.reject_missing(f'"{id_field}"', id_field, f"the id ({id_field})")
    for spec in FIELDS[kind]:
        if spec.type is FieldType.DATE:
            plan.reject_unreadable(spec.name, "a date")
        elif spec.type is FieldType.MONTH:
            plan.reject_unreadable(spec.name, "a month")
        elif spec.type in (FieldType.AMOUNT, FieldType.INTEGER):
            plan.reject_implausible(spec.name)
            plan.reject_unreadable(spec.name, "a number")
    for spec in FIELDS[kind]:
        if spec.type is FieldType.DATE:
            plan.reject_out_of_range(spec.name)
    required_dates = {TableKind.DEALS: "created_at", TableKind.LEADS: "created_at",
                      TableKind.PROPOSALS: "sent_at", TableKind.CONTENT: "date",
                      TableKind.CHANNEL_COSTS: "month"}
    if kind in required_dates:
        name = required_dates[kind]
        plan.reject_missing(f'"{name}"', name, f"the date ({name})")
    if kind is TableKind.DEALS:
        plan.checks.append(_Check(
            "out_status IN ('won', 'lost') AND out_closed_at IS NULL",
            plan.column("closed_at"), plan.text("closed_at"),
            "a won or lost deal needs a close date (closed_at)"))
        closed_from = next((f for f in ("closed_at", "won_at", "lost_at")
                            if f in plan.source_of), "closed_at")
        plan.checks.append(_Check(
            'out_closed_at < "created_at"', plan.column(closed_from),
            "CAST(out_closed_at AS VARCHAR)",
            "the close date (closed_at) is before the creation date (created_at)"))
    if kind is TableKind.CONTENT:
        plan.checks.append(_Check(
            "out_kind IS NULL", plan.column("kind"), plan.text("kind"),
            "unknown content type (expected deck_shared, article_shared or own_post)"))
    if kind is TableKind.COMPENSATION:
        plan.checks.append(_Check(
            '"annual_package" IS NULL AND ("month" IS NULL OR "package" IS NULL)',
            plan.column("package"), plan.text("package"),
            "a package needs a month and an amount, or an annual package"))
    if kind is TableKind.CHANNEL_COSTS:
        plan.reject_missing('"spend"', "spend", "the spend")


def _query(plan: _Plan) -> str:
    typed = ", ".join(f'{sql} AS "{name}"' for name, sql in plan.typed.items())
    outputs = ", ".join(f"{sql} AS out_{name}" for name, sql in plan.outputs.items())
    check = "NULL"
    value = "NULL"
    if plan.checks:
        check = "CASE " + " ".join(
            f"WHEN {c.condition} THEN {i}" for i, c in enumerate(plan.checks)) + " END"
        value = "CASE _check " + " ".join(
            f"WHEN {i} THEN CAST({c.value} AS VARCHAR)" for i, c in enumerate(plan.checks)
        ) + " END"
    # The temp table keeps only what the later queries read, not every raw and
    # typed column: that is most of an import's memory.
    no_amount = '"amount" IS NULL' if "amount" in plan.typed else "FALSE"
    kept_columns = ", ".join(["_line", *(f"out_{name}" for name in plan.outputs), "_check",
                              f"{value} AS _value", f"{no_amount} AS _no_amount"])
    return f"""
        CREATE TEMP TABLE parsed AS
        WITH typed AS (
          SELECT *, {typed} FROM raw_input
        ), derived AS (
          SELECT typed.*, {outputs} FROM typed {' '.join(plan.joins)}
        ), checked AS (
          SELECT *, {check} AS _check FROM derived
        )
        SELECT {kept_columns} FROM checked
    """


def _duplicates_query(id_field: str) -> str:
    """The ids held by several valid rows, with the first line holding each.

    An aggregate over the ids, then a join on the few duplicated ones: a
    window over every row cost most of a million-row import.
    """
    return f"""
        CREATE TEMP TABLE duplicates AS
        SELECT out_{id_field} AS id, min(_line) AS first_line FROM parsed
        WHERE _check IS NULL AND NOT out__deleted AND out_{id_field} IS NOT NULL
        GROUP BY out_{id_field} HAVING count(*) > 1
    """


def normalise(
    raw: RawTable,
    kind: TableKind,
    mapping: dict[str, str],
    file_name: str,
    mappings: Mappings | None = None,
    hints: Hints | None = None,
) -> Normalised:
    """Type every mapped column of `raw` as table `kind`; reject what cannot be read."""
    table = raw.table
    plan = _Plan(kind, mapping, table, hints or Hints(), mappings or Mappings())
    typed = {spec.name: plan.type_field(spec.name) for spec in FIELDS[kind]}
    # Numbers as read come first: the typed values refer to them by name.
    plan.typed = {**{f"_number_{f}": sql for f, sql in plan.numbers.items()}, **typed}
    _plan_outputs(plan)
    _plan_checks(plan)
    lines = raw.row_numbers if raw.row_numbers is not None else pa.array(
        np.arange(table.num_rows, dtype=np.int64) + raw.header_row + 1)
    id_field = ID_FIELD[kind]

    # Same budget as a session workspace: several imports may run at once on a small machine.
    con = duckdb.connect(config={"threads": 2, "memory_limit": "2GB"})
    try:
        # Only the mapped columns go in (as c<position>): a 5,000-column export
        # must not be copied whole into the query's temp table.
        used = sorted({int(column[1:]) for column in plan.column_of.values()})
        positional = pa.table({f"c{i}": table.column(i) for i in used}) if used else \
            pa.table({"_empty": pa.nulls(table.num_rows, pa.string())})
        con.register("raw_input", positional.append_column("_line", lines))
        for name, lookup in plan.lookups.items():
            con.register(name, lookup)
        query = _query(plan)
        flags = {"true_words": sorted(TRUE_WORDS), "false_words": sorted(FALSE_WORDS)}
        con.execute(query, flags if "$true_words" in query else None).fetchall()
        first_line = "CAST(NULL AS BIGINT)"
        source = "parsed"
        if id_field:
            con.execute(_duplicates_query(id_field)).fetchall()
            if con.execute("SELECT count(*) FROM duplicates").fetchall()[0][0]:
                first_line = "duplicates.first_line"
                source = (f"parsed LEFT JOIN duplicates ON duplicates.id = parsed.out_{id_field}"
                          " AND parsed._check IS NULL AND NOT parsed.out__deleted")
        out_columns = ", ".join(
            f'CAST({"$source_file" if name == "source_file" else "out_" + name} AS {sql_type})'
            f' AS "{name}"'
            for name, sql_type in TABLE_COLUMNS[kind].items()
        )
        is_first = f"coalesce({first_line} = _line, TRUE)"
        kept = f"_check IS NULL AND NOT out__deleted AND {is_first}"
        # Without a join the temp table keeps the file's order; with one, sort.
        order = " ORDER BY _line" if source != "parsed" else ""
        accepted = con.sql(
            f"SELECT {out_columns}, _line FROM {source} WHERE {kept}{order}",
            params={"source_file": file_name},
        ).to_arrow_table()
        lines_kept = accepted["_line"].combine_chunks()
        accepted = accepted.drop_columns(["_line"])
        rejected = f"NOT out__deleted AND NOT coalesce(_check IS NULL AND {is_first}, FALSE)"
        reject_rows = con.execute(
            f"SELECT _line, _check, _value, {first_line} FROM {source} WHERE {rejected} "
            f"ORDER BY _line LIMIT {MAX_REJECTS_LISTED}"
        ).fetchall()
        counts = con.execute(
            f"SELECT count(*) FILTER (WHERE {rejected}), count(*) FILTER (WHERE out__deleted), "
            f"count(*) FILTER (WHERE _check IS NULL AND _no_amount) FROM {source}"
        ).fetchall()[0]
        plan.notes.extend(_currency_notes(con, plan))
    except duckdb.OutOfMemoryException as exc:
        raise UnreadableFile(f"{file_name}: the file is too large for the memory this session "
                             "has; split it or upload fewer columns.") from exc
    finally:
        con.close()

    rows_rejected, rows_dropped, empty_amounts = counts or (0, 0, 0)
    rejects = []
    for line, check, value, first_line in reject_rows:
        if check is not None:
            c = plan.checks[check]
            rejects.append(RejectedRow(row=line, column=c.column, value=value, reason=c.reason))
        else:
            rejects.append(RejectedRow(
                row=line, column=plan.column(id_field or ""), value=None,
                reason=f"duplicate {id_field}: already on line {first_line} (first one kept)"))
    if empty_amounts and "amount" in plan.source_of:
        plan.notes.append(f"{empty_amounts} row(s) had no amount and count as 0.")
    if rows_rejected > MAX_REJECTS_LISTED:
        plan.notes.append(f"Only the first {MAX_REJECTS_LISTED} rejected rows are listed.")
    if rows_dropped:
        plan.notes.append(f"{rows_dropped} deleted deal(s) were dropped.")
    return Normalised(
        table=accepted,
        lines=lines_kept,
        rows_rejected=rows_rejected,
        rows_dropped=rows_dropped,
        rejects=rejects,
        column_notes=plan.column_notes,
        notes=plan.notes,
        date_order=_majority(plan.date_orders),
        decimal_mark=_majority(plan.decimal_marks),
    )


def _currency_notes(con: duckdb.DuckDBPyConnection, plan: _Plan) -> list[str]:
    if plan.kind is not TableKind.DEALS or "currency" not in plan.source_of:
        return []
    currencies = [row[0] for row in con.execute(
        'SELECT DISTINCT upper(out_currency) FROM parsed WHERE out_currency IS NOT NULL '
        "ORDER BY 1 LIMIT 10").fetchall()]
    if len(currencies) > 1:
        return [f"Several currencies are mixed ({', '.join(currencies)}); amounts are added "
                "as they are."]
    return []


def _majority(decisions: list[Decision]) -> str | None:
    if not decisions:
        return None
    values = [d.value for d in decisions if d.from_values] or [d.value for d in decisions]
    return max(sorted(set(values)), key=values.count)
