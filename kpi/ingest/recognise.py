"""Which canonical table a file is, and which column is which field.

The same header can mean different tables (HubSpot's "Record ID" is a deal in
a deals export and a contact in a contacts export), so the table is chosen
from the whole set of headers: every table maps what it can, the tables whose
required fields are all found are candidates, and the one that explains the
most columns wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi.ingest.vocabulary import match_header
from kpi.schema import TableKind

# A table is usable when these fields are mapped. Deals need no status column
# (it can come from the stage or the flags); compensation needs a month and a
# package, or an annual package.
REQUIRED_FOR_RECOGNITION: dict[TableKind, tuple[tuple[str, ...], ...]] = {
    TableKind.DEALS: (("deal_id",), ("created_at",), ("amount",), ("owner",)),
    TableKind.LEADS: (("lead_id",), ("created_at",)),
    TableKind.PROPOSALS: (("proposal_id",), ("sent_at",), ("amount",), ("status",)),
    TableKind.CONTENT: (("date",), ("owner",), ("kind",)),
    TableKind.COMPENSATION: (("owner",), ("package", "annual_package")),
    TableKind.CHANNEL_COSTS: (("channel",), ("month",), ("spend",)),
}


@dataclass
class Recognition:
    """The best guess for one file; the user can override both parts."""

    table: TableKind | None
    mapping: dict[str, str]  # source column -> field
    missing: list[str] = field(default_factory=list)  # required fields not found
    candidates: dict[TableKind, int] = field(default_factory=dict)  # table -> score
    closest: TableKind | None = None  # when `table` is None: the best partial match


def map_columns(kind: TableKind, headers: list[str]) -> dict[str, str]:
    """source column -> field for one table; each field taken by its best-priority column."""
    claims: list[tuple[int, int, str, str]] = []  # (priority, position, header, field)
    for position, header in enumerate(headers):
        for priority, field_name in match_header(kind, header):
            claims.append((priority, position, header, field_name))
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, header, field_name in sorted(claims):
        if header in mapping or field_name in taken:
            continue
        mapping[header] = field_name
        taken.add(field_name)
    return mapping


def missing_fields(kind: TableKind, mapping: dict[str, str]) -> list[str]:
    """Required fields (or groups of alternatives, joined by ' or ') not mapped."""
    mapped = set(mapping.values())
    return [
        " or ".join(group)
        for group in REQUIRED_FOR_RECOGNITION[kind]
        if not mapped.intersection(group)
    ]


def recognise(headers: list[str], kind: TableKind | None = None) -> Recognition:
    """Choose the table (unless forced) and map the columns."""
    if kind is not None:
        mapping = map_columns(kind, headers)
        return Recognition(kind, mapping, missing_fields(kind, mapping))
    scores: dict[TableKind, int] = {}
    best: Recognition | None = None
    for candidate in TableKind:
        mapping = map_columns(candidate, headers)
        missing = missing_fields(candidate, mapping)
        scores[candidate] = len(mapping)
        if missing:
            continue
        if best is None or len(mapping) > len(best.mapping):
            best = Recognition(candidate, mapping, [])
    if best is not None:
        best.candidates = scores
        return best
    # Nothing complete: report the closest table so the user can finish the mapping.
    closest = max(TableKind, key=lambda k: (scores[k], -list(TableKind).index(k)))
    if scores[closest] == 0:
        return Recognition(None, {}, [], scores)
    mapping = map_columns(closest, headers)
    return Recognition(None, mapping, missing_fields(closest, mapping), scores, closest)
