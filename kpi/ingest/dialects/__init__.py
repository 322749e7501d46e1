"""CRM dialects: what one CRM's exports call things, declared in one module each.

A dialect holds, for one CRM (or one family of spreadsheets), the header names
it writes per canonical table and field, and the raw values it writes for
statuses/stages, sources (channels), flags and lead statuses. Adding a CRM is
one module in this package, listed in `DIALECTS`, and its test module in
`tests/unit/ingest/dialects/`.

Everything the importer knows about headers and values is derived from these
declarations (`kpi.ingest.vocabulary` merges them into its look-up indexes;
`kpi.ingest.recognise` scores each dialect's coherence with a file), so a
header or a value is written in exactly one dialect.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi.schema import TableKind

Headers = dict[str, tuple[str, ...]]
"""field -> header names in priority order (first wins when two columns match one field)."""


@dataclass(frozen=True)
class Dialect:
    """One CRM's vocabulary.

    - `headers[table][field]`: the header names this CRM writes for `field` when
      exporting `table`, best first. Compared folded (case, accents, spaces and
      punctuation ignored).
    - `links[table]`: headers that, in an export of `table`, point at a row of
      another table (Zoho's `LEADID` in a deals export, Salesforce's
      `ContactId`). Such a column is never taken as that other table's id when
      recognising the file, so a link cannot turn a deals file into leads.
    - `signatures[table]`: headers no field is read from but that only an export of
      `table` carries (Salesforce's `NumberOfLeads`, `BudgetedCost` in a Campaign
      export): evidence for that table when a file could be several.
    - `statuses`: 'won' / 'lost' / 'open' / 'deleted' -> raw status or stage values.
    - `channels`: canonical channel id -> raw source values.
    - `customer_statuses`: lead/lifecycle statuses that mean "is a customer".
    - `true_words` / `false_words`: how its flags are written (`Y`/`N`, 0/1).
    """

    name: str
    headers: dict[TableKind, Headers] = field(default_factory=dict)
    links: dict[TableKind, tuple[str, ...]] = field(default_factory=dict)
    signatures: dict[TableKind, tuple[str, ...]] = field(default_factory=dict)
    statuses: dict[str, tuple[str, ...]] = field(default_factory=dict)
    channels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    customer_statuses: tuple[str, ...] = ()
    true_words: tuple[str, ...] = ()
    false_words: tuple[str, ...] = ()


def _registry() -> tuple[Dialect, ...]:
    """Every dialect, in priority order: the generic spreadsheet vocabulary first."""
    from kpi.ingest.dialects import (
        bitrix24,
        datasets,
        dynamics365,
        generic,
        hubspot,
        nocrm,
        odoo,
        pipedrive,
        salesforce,
        sellsy,
        suitecrm,
        zoho,
    )

    modules = [generic, hubspot, salesforce, pipedrive, zoho, suitecrm, odoo, dynamics365,
               bitrix24, nocrm, sellsy, datasets]
    return tuple(module.DIALECT for module in modules)


DIALECTS: tuple[Dialect, ...] = _registry()

__all__ = ["DIALECTS", "Dialect", "Headers"]
