"""Which canonical table a file is, and which column is which field.

The same header can mean different tables (HubSpot's "Record ID" is a deal in
a deals export and a contact in a contacts export), so the table is chosen
from the whole set of headers. Every table maps what it can; the tables whose
required fields are all found are candidates, and each is scored by

- the columns it explains (one point each),
- the required fields it found (half a point each: a file with every field a
  table needs is more likely that table than one that merely shares columns),
- the coherence of the best-matching CRM dialect (a quarter point per column
  that one dialect writes for that table),
- the table's signature headers present (one point each: columns no field is
  read from but that only that table's exports carry, such as Salesforce's
  `NumberOfLeads` in a Campaign export, which is channel costs, not deals).

A column that a dialect declares as a link in one candidate (Zoho's `LEADID`
in a deals export) never serves as another candidate's id: a deals file that
points at its leads is not a leads file. When the runner-up scores within
CLOSE of the winner it is reported as the alternative, and the Data page
offers it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi.ingest.dialects import DIALECTS, Dialect
from kpi.ingest.fold import fold
from kpi.ingest.vocabulary import match_header
from kpi.schema import ID_FIELD, TABLES, TableKind

REQUIRED_WEIGHT = 0.5
COHERENCE_WEIGHT = 0.25
SIGNATURE_WEIGHT = 1.0
CLOSE = 1.0  # a runner-up within this score of the winner is offered as the alternative


def _dialect_headers() -> dict[tuple[str, TableKind], frozenset[str]]:
    """(dialect, table) -> the folded headers that dialect writes for that table (the
    ones fields are read from and its signature headers)."""
    return {
        (dialect.name, kind): frozenset(
            fold(name)
            for names in (*dialect.headers.get(kind, {}).values(),
                          dialect.signatures.get(kind, ()))
            for name in names)
        for dialect in DIALECTS for kind in TableKind
    }


def _dialect_links() -> dict[TableKind, frozenset[str]]:
    """table -> folded headers some dialect declares as links in an export of that table."""
    return {kind: frozenset(fold(h) for d in DIALECTS for h in d.links.get(kind, ()))
            for kind in TableKind}


def _dialect_signatures() -> dict[TableKind, frozenset[str]]:
    """table -> folded headers only an export of that table carries (any dialect)."""
    return {kind: frozenset(fold(h) for d in DIALECTS for h in d.signatures.get(kind, ()))
            for kind in TableKind}


_HEADERS_OF = _dialect_headers()
_LINKS_OF = _dialect_links()
_SIGNATURES_OF = _dialect_signatures()


@dataclass
class Recognition:
    """The best guess for one file; the user can override both parts."""

    table: TableKind | None
    mapping: dict[str, str]  # source column -> field
    # Required fields not found: each a group of alternatives (most hold one field).
    missing: list[tuple[str, ...]] = field(default_factory=list)
    candidates: dict[TableKind, float] = field(default_factory=dict)  # table -> score
    closest: TableKind | None = None  # when `table` is None: the best partial match
    alternative: TableKind | None = None  # a complete runner-up close to the winner
    dialect: str | None = None  # the CRM whose headers explain the file best


def map_columns(kind: TableKind, headers: list[str]) -> dict[str, str]:
    """source column -> field for one table; each field taken by its best-priority column.

    When one header means two fields in two CRMs (Odoo's `Opportunity` is the
    deal's name, Bitrix24's `OPPORTUNITY` its amount), the meaning of the
    dialect that explains the file best wins.
    """
    dialect, _ = best_dialect(kind, headers)
    own = {(fold(name), field_name)
           for field_name, names in (dialect.headers.get(kind, {}) if dialect else {}).items()
           for name in names}
    claims: list[tuple[int, int, int, str, str]] = []  # (priority, position, foreign, ...)
    for position, header in enumerate(headers):
        for priority, field_name in match_header(kind, header):
            foreign = 0 if (fold(header), field_name) in own else 1
            claims.append((priority, position, foreign, header, field_name))
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, _, header, field_name in sorted(claims):
        if header in mapping or field_name in taken:
            continue
        mapping[header] = field_name
        taken.add(field_name)
    return mapping


def missing_fields(kind: TableKind, mapping: dict[str, str],
                   linked: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Required fields not mapped, each as its group of alternatives (one field, mostly).

    `linked`: fields another loaded table supplies (see `linked_fields`).
    """
    mapped = set(mapping.values()) | linked
    return [
        tuple(group)
        for group in TABLES[kind].required
        if not mapped.intersection(group)
    ]


def linked_fields(kind: TableKind, mapping: dict[str, str], leads_loaded: bool) -> frozenset[str]:
    """Fields a deals file can take from the leads it links to: a deal with no creation
    date of its own was created when its lead first came in (Olist's closed deals)."""
    if kind is TableKind.DEALS and leads_loaded and "lead_id" in mapping.values():
        return frozenset({"created_at"})
    return frozenset()


def best_dialect(kind: TableKind, headers: list[str]) -> tuple[Dialect | None, int]:
    """The dialect that writes the most of these headers for `kind`, and how many."""
    folded = {fold(h) for h in headers}
    best: tuple[Dialect | None, int] = (None, 0)
    for dialect in DIALECTS:
        count = len(folded & _HEADERS_OF[(dialect.name, kind)])
        if count > best[1]:
            best = (dialect, count)
    return best


def _score(kind: TableKind, mapping: dict[str, str], headers: list[str]) -> float:
    required = len(TABLES[kind].required) - len(missing_fields(kind, mapping))
    _, coherence = best_dialect(kind, headers)
    signatures = len({fold(h) for h in headers} & _SIGNATURES_OF[kind])
    return (len(mapping) + REQUIRED_WEIGHT * required + COHERENCE_WEIGHT * coherence
            + SIGNATURE_WEIGHT * signatures)


def _id_is_a_link(kind: TableKind, mapping: dict[str, str],
                  others: dict[TableKind, dict[str, str]]) -> bool:
    """Whether `kind` takes its id from a column another candidate reads as a link."""
    id_field = ID_FIELD[kind]
    source = next((s for s, f in mapping.items() if f == id_field), None)
    if source is None:
        return False
    for other, other_mapping in others.items():
        if other is kind:
            continue
        read_as = other_mapping.get(source)
        if fold(source) in _LINKS_OF[other] or (read_as and read_as != ID_FIELD[other]
                                                and read_as.endswith("_id")):
            return True
    return False


def recognise(headers: list[str], kind: TableKind | None = None,
              leads_loaded: bool = False) -> Recognition:
    """Choose the table (unless forced) and map the columns.

    `leads_loaded`: the workspace holds leads, which a deals file may link to.
    """
    if kind is not None:
        mapping = map_columns(kind, headers)
        dialect, _ = best_dialect(kind, headers)
        linked = linked_fields(kind, mapping, leads_loaded)
        return Recognition(kind, mapping, missing_fields(kind, mapping, linked),
                           dialect=dialect.name if dialect else None)
    folded = {fold(h) for h in headers}
    mappings = {k: map_columns(k, headers) for k in TableKind
                if not TABLES[k].needs_signature or folded & _SIGNATURES_OF[k]}
    scores = {k: _score(k, m, headers) if m else 0.0 for k, m in mappings.items()}
    complete = {k: m for k, m in mappings.items()
                if not missing_fields(k, m, linked_fields(k, m, leads_loaded))}
    usable = [k for k in complete if not _id_is_a_link(k, complete[k], complete)]
    order = list(TableKind)
    ranked = sorted(usable, key=lambda k: (-scores[k], order.index(k)))
    if ranked:
        best = ranked[0]
        alternative = next((k for k in ranked[1:] if scores[best] - scores[k] <= CLOSE), None)
        dialect, _ = best_dialect(best, headers)
        return Recognition(best, mappings[best], [], scores, alternative=alternative,
                           dialect=dialect.name if dialect else None)
    # Nothing complete: report the closest table so the user can finish the mapping.
    closest = max(scores, key=lambda k: (scores[k], -order.index(k)))
    if scores[closest] == 0:
        return Recognition(None, {}, [], scores)
    mapping = mappings[closest]
    dialect, _ = best_dialect(closest, headers)
    return Recognition(None, mapping, missing_fields(closest, mapping), scores, closest,
                       dialect=dialect.name if dialect else None)
