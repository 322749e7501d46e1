"""Odoo CRM pipeline exports (crm.lead), English and French UI.

The export dialog writes field labels: `Opportunity`, `Salesperson`,
`Expected Revenue`, `Stage`, `Created on`, `Closed Date`, `Active`, `Lost
Reason`, `Source`, `Medium` (French: `Opportunité`, `Vendeur`, `Revenu
espéré`, `Étape`, `Créé le`, `Actif`). Odoo has no lost stage: a lost
opportunity is archived (`Active` False, usually with a lost reason), which
is_active reads. Default stages: New, Qualified, Proposition, Won.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_name": ("Opportunity", "Opportunité"),
        "owner": ("Salesperson", "Vendeur"),
        # Zoho and Salesforce write an "Expected Revenue" too (probability-weighted)
        # beside their Amount, which, being the canonical name, wins there.
        "amount": ("Expected Revenue", "Revenu espéré"),
        "stage": ("Stage", "Étape"),
        "created_at": ("Created on", "Créé le"),
        "closed_at": ("Closed Date", "Date Closed"),
        # UTM semantics: the medium is the channel (Email, Website, Banner, Phone),
        # the source the particular origin (a search engine, a newsletter).
        "channel": ("Medium", "Source"),
        "is_active": ("Active", "Actif"),
    },
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    # Default UTM mediums ("Email", "Website", "Facebook", "LinkedIn", "Twitter" are
    # plain words; "Phone", "Direct", "Television" and the sources "Search engine",
    # "Newsletter", "Lead Recall" name no single channel of ours).
    "website_paid": ("Banner",),
}

DIALECT = Dialect(name="Odoo", headers=_HEADERS, channels=_CHANNELS)
