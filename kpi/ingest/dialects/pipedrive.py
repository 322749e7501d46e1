"""Pipedrive deal and person exports, in the UI languages seen in public exports.

Pipedrive prefixes every column with its entity in the user's language
(`Deal - Value`, `Affaire - Valeur`, German `Deal - Wert`, Spanish `Trato -
Valor`, Portuguese `Negócio - Valor`) and exports the deal status translated
too (Gewonnen / Verloren / Offen / Gelöscht, Ganado / Perdido / Abierto,
Ganho / Perdido / Aberto / Excluído). Headers of the German, Spanish and
Portuguese UIs are those found in public code that reads such exports; no
Italian export was found, so only the status words of docs/tables.md, "Statuses" (vinto /
perso) are here for it.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("Deal - ID", "Affaire - ID", "Trato - ID", "Negócio - ID"),
        "deal_name": (
            "Deal - Title", "Affaire - Titre", "Deal - Titel", "Trato - Título",
            "Negócio - Título",
        ),
        "owner": (
            "Deal - Owner", "Affaire - Propriétaire", "Deal - Besitzer", "Trato - Propietario",
            "Negócio - Proprietário",
        ),
        "stage": (
            "Deal - Stage", "Affaire - Étape", "Deal - Phase", "Trato - Etapa", "Negócio - Etapa",
        ),
        "status": ("Deal - Status", "Affaire - Statut", "Trato - Estado", "Negócio - Status"),
        "amount": (
            "Deal - Value", "Affaire - Valeur", "Deal - Wert", "Trato - Valor", "Negócio - Valor",
        ),
        "created_at": (
            "Deal - Deal created", "Affaire - Affaire créée", "Deal - Deal erstellt",
            "Trato - Trato creado", "Negócio - Negócio criado em",
            "Negócio - Data de criação do negócio",
        ),
        "closed_at": (
            "Deal - Deal closed on", "Deal - Deal abgeschlossen am", "Negócio - Negócio fechado em",
        ),
        "won_at": (
            "Deal - Won time", "Affaire - Date de gain", "Deal - Datum des gewonnenen Deals",
            "Negócio - Ganho em", "Won time", "Date de gain",
        ),
        "lost_at": (
            "Deal - Lost time", "Affaire - Heure de l'échec", "Deal - Datum des verlorenen Deals",
            "Negócio - Data de perda", "Lost time", "Heure de l'échec",
        ),
        # "Source channel" says how the deal came (paid search, email…); "Source
        # origin" how it was entered (web form, import…): a fallback only.
        "channel": ("Deal - Source channel", "Affaire - Source du lead", "Deal - Source origin"),
        "currency": ("Deal - Currency", "Affaire - Devise", "Trato - Moneda"),
    },
    TableKind.LEADS: {
        "lead_id": ("Person - ID", "Lead - ID"),
        "owner": ("Person - Owner",),
        "created_at": ("Person - Created",),
        "channel": ("Person - Source",),
    },
}

_STATUSES: dict[str, tuple[str, ...]] = {
    "won": ("Gewonnen", "Ganado", "Ganho", "Vinto"),
    "lost": ("Verloren", "Perdido", "Perso"),
    "open": ("Offen", "Abierto", "Aberto"),
    "deleted": ("Gelöscht", "Excluído"),
}

DIALECT = Dialect(name="Pipedrive", headers=_HEADERS, statuses=_STATUSES)
