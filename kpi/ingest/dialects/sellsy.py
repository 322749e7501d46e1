"""Sellsy and Axonaut quote (devis) list exports, French UI.

Their quote lists carry `Numéro`, `Date`, `Montant HT` and `Statut`, the
status in French: Brouillon, Envoyé, Lu (Sellsy's "read"), En attente (open),
Accepté / Signé (won), Refusé, Expiré, Annulé (lost). The amount read is the
one before tax (HT), as B2B quotes are compared; `Montant TTC` is left out.
No public export file of either was found: the columns are those of the
"Real exports" issue, the statuses those of their quote workflow.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.PROPOSALS: {
        "proposal_id": ("Numéro", "Référence"),
        "owner": ("Commercial",),
        "sent_at": ("Date",),
        "amount": ("Montant HT", "Total HT"),
        "status": ("Statut",),
    },
}

_STATUSES: dict[str, tuple[str, ...]] = {
    "open": ("Lu",),
}

DIALECT = Dialect(name="Sellsy / Axonaut", headers=_HEADERS, statuses=_STATUSES)
