"""What real exports call things: header synonyms, channel and status values.

Everything here is data from docs/tables.md ("Recognising real exports",
channels, statuses). Keys are compared folded (see `fold`), so one entry
covers 'Date de clôture', 'DATE DE CLOTURE' and 'date_de_cloture'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kpi.ingest.dialects import DIALECTS
from kpi.ingest.fold import fold
from kpi.schema import CHANNELS, FIELDS, TableKind

# --------------------------------------------------------------------------
# Headers, merged from every dialect (kpi.ingest.dialects). Per table, per
# field, in priority order: when two columns of one file match the same field,
# the one whose synonym comes first in its dialect wins.
# --------------------------------------------------------------------------

# Every canonical field name also recognises itself (docs/tables.md: "Canonical
# column names ... always map to themselves"), ahead of every synonym.
HEADER_INDEX: dict[TableKind, dict[str, list[tuple[int, str]]]] = {}
"""table -> folded header -> [(priority, field)], built once at import."""


def _build_header_index() -> None:
    for kind in FIELDS:
        index: dict[str, list[tuple[int, str]]] = {}
        for spec in FIELDS[kind]:
            index.setdefault(fold(spec.name), []).append((0, spec.name))
        for dialect in DIALECTS:
            for field_name, names in dialect.headers.get(kind, {}).items():
                for priority, name in enumerate(names, start=1):
                    claims = index.setdefault(fold(name), [])
                    if not any(f == field_name for _, f in claims):
                        claims.append((priority, field_name))
        HEADER_INDEX[kind] = index


_build_header_index()

KNOWN_HEADERS: frozenset[str] = frozenset(h for idx in HEADER_INDEX.values() for h in idx)


# No header of any export is longer; a longer cell is data (or a hostile
# file), and folding megabytes of it for every table would only cost time.
MAX_HEADER_LENGTH = 500


def match_header(kind: TableKind, header: str) -> list[tuple[int, str]]:
    """The fields of `kind` a header can mean, best first, as (priority, field)."""
    if len(header) > MAX_HEADER_LENGTH:
        return []
    folded = fold(header)
    found = list(HEADER_INDEX[kind].get(folded, ()))
    # HubSpot writes one "Date entered '<stage> (<pipeline>)'" column per stage.
    if kind is TableKind.DEALS and folded.startswith("dateentered") and any(
        word in folded for word in ("proposal", "contractsent", "quote", "devis")
    ):
        found.append((0, "proposal_sent_at"))
    return sorted(found)


def is_known_header(header: str) -> bool:
    """Whether a cell looks like a header of some export (used to find the header row)."""
    if len(header) > MAX_HEADER_LENGTH:
        return False
    folded = fold(header)
    return folded in KNOWN_HEADERS or folded.startswith("dateentered")


# --------------------------------------------------------------------------
# Channels (docs/tables.md, "Channels")
# --------------------------------------------------------------------------

CHANNEL_INDEX: dict[str, str] = {}
for _dialect in DIALECTS:
    for _channel_id, _raws in _dialect.channels.items():
        for _raw in (_channel_id, *_raws):
            CHANNEL_INDEX.setdefault(fold(_raw), _channel_id)
for _channel in CHANNELS:
    CHANNEL_INDEX.setdefault(fold(_channel), _channel)

# --------------------------------------------------------------------------
# Statuses (docs/tables.md, "Statuses"). "deleted" is Pipedrive's: such deals are dropped.
# --------------------------------------------------------------------------

DELETED = "deleted"

STATUS_INDEX: dict[str, str] = {}
for _dialect in DIALECTS:
    for _status, _raws in _dialect.statuses.items():
        for _raw in _raws:
            STATUS_INDEX.setdefault(fold(_raw), _status)

# Lifecycle/lead statuses that mean "this lead is a customer" (docs/tables.md).
CUSTOMER_STATUSES: frozenset[str] = frozenset(
    fold(s) for dialect in DIALECTS for s in dialect.customer_statuses)

# --------------------------------------------------------------------------
# Content kinds and flags
# --------------------------------------------------------------------------

CONTENT_KIND_SYNONYMS: dict[str, tuple[str, ...]] = {
    "deck_shared": (
        "deck", "deck shared", "deck partagé", "présentation", "presentation", "document",
        "plaquette", "brochure", "case study", "étude de cas", "livre blanc", "white paper",
    ),
    "article_shared": (
        "article", "article shared", "article partagé", "partage d'article", "shared article",
        "marketing post", "post marketing", "contenu marketing",
    ),
    "own_post": (
        "own post", "post", "publication", "post perso", "post personnel", "own article",
        "article perso", "propre post",
    ),
}
CONTENT_KIND_INDEX: dict[str, str] = {
    fold(raw): kind for kind, raws in CONTENT_KIND_SYNONYMS.items() for raw in (kind, *raws)
}

_PIPELINE_PREFIX = re.compile(r"C\d+:")

TRUE_WORDS: frozenset[str] = frozenset(w for d in DIALECTS for w in d.true_words)
FALSE_WORDS: frozenset[str] = frozenset(w for d in DIALECTS for w in d.false_words)


@dataclass
class Mappings:
    """The user's edits of the raw -> canonical value mappings (the Data page).

    Keys are raw values as exported; they are compared folded, and win over the
    built-in vocabulary.
    """

    channels: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    # The currency of amounts that carry none (no currency column, no symbol or
    # code in the amount): the workspace setting shown on the Data page.
    currency: str = "EUR"

    def channel_of(self, raw: str | None) -> str:
        """Canonical channel id of a raw source value (docs/tables.md, "Channels")."""
        if raw is None or not raw.strip():
            return "unknown"
        folded = fold(raw)
        for key, channel in self.channels.items():
            if fold(key) == folded:
                return channel
        return CHANNEL_INDEX.get(folded, "other")

    def status_of(self, raw: str | None) -> str | None:
        """open/won/lost/deleted for a raw status or stage; None when unknown."""
        if raw is None or not raw.strip():
            return None
        folded = fold(raw)
        for key, status in self.statuses.items():
            if fold(key) == folded:
                return status
        found = STATUS_INDEX.get(folded)
        if found is None and (pipeline := _PIPELINE_PREFIX.match(raw.strip())):
            # Bitrix24 prefixes stage codes with their pipeline: C1:WON, C12:LOSE.
            found = STATUS_INDEX.get(fold(raw.strip()[pipeline.end():]))
        return found
