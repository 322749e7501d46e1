"""Saved column mappings: how a user read a file, applied again to files with its headers.

A mapping fixed by hand on the Data page can be saved "for files with these
headers" (`SavedMapping`); `--map HEADER=FIELD` on the command line names one
header's field for every file (the overrides). Every mapping of a workspace
travels as one `MappingFile`: the Data page's download, `--mapping FILE` and a
snapshot manifest's `mappings`.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator, model_validator

from kpi.ingest import DELETED, Mappings, fold_header, missing_fields
from kpi.messages import InvalidValue, Message, msg
from kpi.schema import CHANNELS, FIELDS, STATUSES, FileReport, TableKind

SAVED_MAPPING_NOTE = msg("note.saved_mapping")
# (table, source header -> field, the note that says why) a file is read with.
Rule = tuple[TableKind | None, dict[str, str], Message | None]


def header_signature(headers: list[str]) -> list[str]:
    """A file's headers folded, sorted and each once: the same export in any column order."""
    return sorted({fold_header(h) for h in headers})


def _field_names(kind: TableKind) -> set[str]:
    return {spec.name for spec in FIELDS[kind]}


def _table_with(fields: set[str], preferred: TableKind | None) -> TableKind | None:
    """A table that has all these fields: `preferred` (the recognised one) when it does,
    else one that is complete with them, else the first."""
    tables = [k for k in TableKind if fields <= _field_names(k)]
    if preferred in tables:
        return preferred
    complete = [k for k in tables if not missing_fields(k, {f: f for f in fields})]
    return next(iter(complete or tables), None)


class SavedMapping(BaseModel):
    """A column mapping the user chose, applied to every later file with the same headers."""

    headers: list[str]  # header_signature of the file it was saved from
    table: TableKind
    mapping: dict[str, str]  # source header -> field

    @field_validator("headers")
    @classmethod
    def _signature(cls, headers: list[str]) -> list[str]:
        return header_signature(headers)  # a hand-written file may list raw headers

    @model_validator(mode="after")
    def _fields_of_the_table(self) -> SavedMapping:
        unknown = sorted(set(self.mapping.values()) - _field_names(self.table))
        if unknown:
            raise InvalidValue(msg("mapping.no_such_field", table=self.table.value,
                                   fields=unknown))
        strays = sorted(s for s in self.mapping if fold_header(s) not in self.headers)
        if strays:
            raise InvalidValue(msg("mapping.stray_columns", columns=strays))
        return self

    @classmethod
    def of(cls, report: FileReport) -> SavedMapping:
        """The mapping a loaded file was read with."""
        assert report.table is not None
        return cls(headers=[c.source for c in report.columns], table=report.table,
                   mapping=report.mapping)

    def matches(self, headers: list[str]) -> bool:
        return header_signature(headers) == self.headers

    def mapping_for(self, headers: list[str]) -> dict[str, str]:
        """This mapping in a file's own header names (which may differ in case or accents)."""
        by_fold = {fold_header(source): name for source, name in self.mapping.items()}
        mapping: dict[str, str] = {}
        for header in headers:
            name = by_fold.get(fold_header(header))
            if name is not None and name not in mapping.values():
                mapping[header] = name
        return mapping


class MappingFile(BaseModel):
    """Every mapping a user made: the Data page's JSON download, `--mapping FILE`, and the
    `mappings` of a snapshot's manifest."""

    columns: list[SavedMapping] = Field(default_factory=list)
    channels: dict[str, str] = Field(default_factory=dict)
    statuses: dict[str, str] = Field(default_factory=dict)
    currency: str = "EUR"

    @field_validator("channels")
    @classmethod
    def _known_channels(cls, channels: dict[str, str]) -> dict[str, str]:
        return _known("channel", channels, CHANNELS)

    @field_validator("statuses")
    @classmethod
    def _known_statuses(cls, statuses: dict[str, str]) -> dict[str, str]:
        return _known("status", statuses, (*STATUSES, DELETED))

    @field_validator("currency")
    @classmethod
    def _iso_code(cls, currency: str) -> str:
        return currency_code(currency)

    @classmethod
    def of(cls, mappings: Mappings, columns: list[SavedMapping]) -> MappingFile:
        return cls(columns=columns, channels=mappings.channels, statuses=mappings.statuses,
                   currency=mappings.currency)

    def value_mappings(self) -> Mappings:
        return Mappings(dict(self.channels), dict(self.statuses), self.currency)


def _known(what: str, values: dict[str, str], allowed: tuple[str, ...]) -> dict[str, str]:
    unknown = sorted(set(values.values()) - set(allowed))
    if unknown:
        raise InvalidValue(msg(f"mapping.unknown.{what}", values=unknown, allowed=list(allowed)))
    return values


def currency_code(text: str) -> str:
    """An ISO 4217 code as three capital letters ('usd' -> 'USD'); InvalidValue otherwise."""
    code = text.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise InvalidValue(msg("mapping.not_a_currency", value=text))
    return code


def saved_mapping_for(saved: list[SavedMapping], report: FileReport) -> SavedMapping | None:
    """The saved mapping of a file's headers, if any."""
    headers = [c.source for c in report.columns]
    return next((s for s in saved if s.matches(headers)), None)


def column_rule(kind: TableKind | None, report: FileReport, saved: list[SavedMapping],
                overrides: dict[str, str]) -> Rule | None:
    """How to read a file the user gave no mapping for: a saved mapping of its headers,
    else the recognised mapping with the overrides. None when there is none, or when a
    loaded file was read that way (a refused file's columns may hold suggestions, not
    what was tried)."""
    mapping = saved_mapping_for(saved, report)
    if mapping is not None and kind in (None, mapping.table):
        rule = (mapping.table, mapping.mapping_for([c.source for c in report.columns]),
                SAVED_MAPPING_NOTE)
    else:
        overridden = _overridden(kind, report, overrides)
        if overridden is None:
            return None
        rule = (*overridden, None)
    unchanged = report.error is None and rule[:2] == (report.table, report.mapping)
    return None if unchanged else rule


def _overridden(kind: TableKind | None, report: FileReport, overrides: dict[str, str]
                ) -> tuple[TableKind, dict[str, str]] | None:
    """The recognised mapping with the overrides applied to the headers they name."""
    rules = {fold_header(header): name for header, name in overrides.items()}
    hits = {c.source: rules[fold_header(c.source)] for c in report.columns
            if fold_header(c.source) in rules}
    table = (kind or _table_with(set(hits.values()), report.table)) if hits else None
    if table is None:
        return None
    names = _field_names(table)
    hits = {source: name for source, name in hits.items() if name in names}
    kept = {source: name for source, name in report.mapping.items()
            if source not in hits and name not in hits.values() and name in names}
    return table, {**kept, **hits}
