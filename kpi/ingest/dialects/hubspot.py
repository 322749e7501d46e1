"""HubSpot deals, contacts and quotes exports, English and French UI.

Headers are the property labels HubSpot writes in its CSV/XLSX exports (the
"All deals" export in ../shared/real/hubspot-marvell: `Record ID`, `Deal owner`,
`Amount in company currency`, `Original Source Type`, `Associated Contact IDs`;
French portals write `ID de fiche d'informations`, `Nom de la transaction`,
`Phase de la transaction`, `Date de fermeture`). Sources are the values of
the Original Source property: the internal codes (ORGANIC_SEARCH…) in API and
older exports, the labels in English and French UI exports.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    # Settings > Users & Teams > Export users: the ids "Deal owner ID"-style
    # columns and the owners API hold.
    TableKind.USERS: {
        "user_id": ("User ID", "ID utilisateur"),
        "first_name": ("First name", "Prénom"),
        "last_name": ("Last name", "Nom"),
    },
    TableKind.DEALS: {
        "deal_id": ("Record ID", "Deal ID", "ID de fiche d'informations"),
        "deal_name": ("Deal Name", "Nom de la transaction"),
        "owner": ("Deal owner", "Propriétaire de la transaction"),
        "stage": ("Deal Stage", "Phase de la transaction"),
        "amount": ("Amount", "Montant"),
        "amount_company": ("Amount in company currency",),
        "created_at": ("Create Date", "Date de création"),
        "closed_at": ("Close Date", "Date de fermeture"),
        # "Original Source" replaced "Original Source Type" in 2023; a file has one.
        "channel": ("Original Source", "Original Source Type", "Source d'origine"),
        # Semicolon-separated when a deal has several contacts.
        "lead_id": ("Associated Contact IDs", "Associated Contact ID"),
        "currency": ("Currency", "Devise"),
    },
    TableKind.LEADS: {
        "lead_id": ("Record ID", "ID de fiche d'informations"),
        "owner": ("Contact owner", "Propriétaire du contact"),
        "created_at": ("Create Date", "Date de création"),
        "channel": ("Original Source", "Original Source Type", "Source d'origine"),
        "converted_at": ("Became a Customer Date",),
        "lead_status": ("Lifecycle Stage", "Lead Status", "Phase du cycle de vie"),
    },
    TableKind.PROPOSALS: {
        "proposal_id": ("Quote ID", "Quote Number"),
        "deal_id": ("Associated Deal",),
        "owner": ("Quote owner",),
        "sent_at": ("Sent date",),
        "amount": ("Amount",),
        "status": ("Quote status", "Status"),
    },
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: (
        "Associated Contact IDs", "Associated Contact ID", "Associated Company IDs",
        "Associated Lead IDs", "Associated Quote IDs",
    ),
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    "other_social": ("SOCIAL_MEDIA", "Organic Social"),
    "cold_email": ("EMAIL_MARKETING", "Marketing par e-mail"),
    "website_organic": (
        "ORGANIC_SEARCH", "DIRECT_TRAFFIC", "Recherche organique", "Trafic direct",
    ),
    "website_paid": ("PAID_SEARCH", "PAID_SOCIAL", "Recherche payante"),
    "referral": ("REFERRALS", "Referrals", "Recommandations"),
    "other": (
        "OTHER_CAMPAIGNS", "Other Campaigns", "OFFLINE", "Offline Sources", "Hors ligne",
    ),
}

# The French labels of the default pipeline's closing stages (closedwon, "Closed Won"
# and the English ones are spreadsheet words too: generic).
_STATUSES: dict[str, tuple[str, ...]] = {
    "won": ("Conclue gagnée",),
    "lost": ("Conclue perdue",),
}

# Columns of the users export that no other export has.
_SIGNATURES: dict[TableKind, tuple[str, ...]] = {
    TableKind.USERS: ("User ID", "ID utilisateur", "Last login date", "Assigned teams",
                      "Assigned role", "Date de dernière connexion", "Équipes attribuées"),
}

DIALECT = Dialect(
    name="HubSpot",
    headers=_HEADERS,
    links=_LINKS,
    signatures=_SIGNATURES,
    statuses=_STATUSES,
    channels=_CHANNELS,
    # Evangelists come after customers in HubSpot's lifecycle.
    customer_statuses=("customer", "evangelist"),
)
