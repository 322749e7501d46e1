"""What real exports call things: header synonyms, channel and status values.

Everything here is data from KPI_SPEC.md §1-3 ("Recognising real exports",
channels, statuses). Keys are compared folded (see `fold`), so one entry
covers 'Date de clôture', 'DATE DE CLOTURE' and 'date_de_cloture'.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpi.ingest.fold import fold
from kpi.schema import CHANNELS, FIELDS, TableKind

# --------------------------------------------------------------------------
# Headers. Per table, per field, in priority order: when two columns of one
# file match the same field, the one whose synonym comes first wins (HubSpot's
# "Amount" beats "Amount in company currency").
# --------------------------------------------------------------------------

HEADER_SYNONYMS: dict[TableKind, dict[str, tuple[str, ...]]] = {
    TableKind.DEALS: {
        "deal_id": (
            "Record ID", "Deal ID", "Opportunity ID", "Deal - ID", "Record Id",
            "ID de fiche d'informations", "Affaire - ID", "opportunity_id", "Identifiant",
            "ID", "ID de l'affaire", "ID de l'opportunité",
        ),
        "deal_name": (
            "Deal Name", "Opportunity Name", "Deal - Title", "Nom de la transaction",
            "Affaire - Titre", "Nom de l'opportunité", "Nom de l'affaire", "Titre",
        ),
        "owner": (
            "Deal owner", "Opportunity Owner", "Deal - Owner", "Propriétaire de la transaction",
            "Propriétaire de l'opportunité", "Affaire - Propriétaire", "sales_agent",
            "Commercial", "Collaborateur affecté", "User", "Owner", "Propriétaire",
        ),
        "stage": (
            "Deal Stage", "Stage", "Deal - Stage", "Phase de la transaction", "Étape",
            "Affaire - Étape", "deal_stage", "Phase",
        ),
        "status": ("Deal - Status", "Affaire - Statut", "Statut", "Status"),
        "amount": (
            "Amount", "Deal - Value", "Montant", "Affaire - Valeur", "close_value",
            "Montant potentiel", "Amount in company currency", "Value", "Valeur",
        ),
        "created_at": (
            "Create Date", "Created Date", "Deal - Deal created", "Created Time",
            "Date de création", "Affaire - Affaire créée", "engage_date", "Created",
        ),
        "closed_at": (
            "Close Date", "Deal - Deal closed on", "Closing Date", "Date de fermeture",
            "Date de clôture", "close_date", "Closed Date",
        ),
        "won_at": ("Deal - Won time", "Affaire - Date de gain", "Won time", "Date de gain"),
        "lost_at": (
            "Deal - Lost time", "Affaire - Heure de l'échec", "Lost time", "Heure de l'échec",
            "Date de perte",
        ),
        "channel": (
            "Original Source", "Lead Source", "Deal - Source channel", "Source d'origine",
            "Origine de la piste", "Affaire - Source du lead", "Canal d'acquisition", "Canal",
            "Source", "Original Source Type", "Deal - Source origin", "Lead Source (Zoho)",
        ),
        "proposal_sent_at": (
            "Proposal sent date", "Date d'envoi de la proposition", "Date envoi devis",
            "Proposal sent", "Date d'envoi du devis",
        ),
        "lead_id": ("Lead ID", "Contact ID", "Associated Contact ID", "ID de piste"),
        "currency": (
            "Currency", "Opportunity Currency", "Deal - Currency", "Devise", "Affaire - Devise",
        ),
        "is_won": ("Is Won", "Won", "Gagné"),
        "is_closed": ("Closed", "Is Closed", "Fermé"),
    },
    TableKind.LEADS: {
        "lead_id": (
            "Record ID", "Lead ID", "Lead - ID", "ID de piste", "Person - ID", "Contact ID",
            "Record Id", "Identifiant", "ID",
        ),
        "owner": (
            "Contact owner", "Lead Owner", "Person - Owner", "Propriétaire du contact",
            "Propriétaire de la piste", "Owner", "Commercial", "Propriétaire",
        ),
        "created_at": (
            "Create Date", "Created Date", "Person - Created", "Date de création",
            "Created Time", "Created",
        ),
        "channel": (
            "Original Source", "Lead Source", "Origine de la piste", "Source",
            "Canal d'acquisition", "Canal", "Source d'origine", "Person - Source",
        ),
        "converted_at": (
            "Became a Customer Date", "Converted Date", "Date de conversion",
            "Date de passage client",
        ),
        "lead_status": (
            "Lifecycle Stage", "Lead Status", "Statut de la piste", "Phase du cycle de vie",
            "Statut", "Status",
        ),
    },
    TableKind.PROPOSALS: {
        "proposal_id": (
            "Quote ID", "Quote Number", "Numéro de devis", "Numéro", "Référence",
            "Devis - ID", "Quote - ID", "N° de devis", "Numero devis",
        ),
        "deal_id": ("Deal ID", "Affaire", "Associated Deal", "Opportunité", "Affaire - ID"),
        "owner": ("Quote owner", "Commercial", "Owner", "Propriétaire", "Quote - Owner"),
        "sent_at": ("Sent date", "Date d'envoi", "Date du devis", "Quote date", "Date"),
        "amount": ("Amount", "Montant HT", "Total HT", "Montant", "Total"),
        "status": ("Status", "Statut", "Quote status", "Statut du devis"),
    },
    TableKind.CONTENT: {
        "date": ("Date",),
        "owner": ("Commercial", "Owner", "Rep", "Propriétaire"),
        "kind": ("Type", "Kind", "Type de contenu"),
        "deal_id": ("Affaire", "Deal ID", "Deal"),
        "title": ("Titre", "Title"),
        "views": ("Vues", "Views", "Impressions"),
        "likes": ("J'aime", "Likes", "Réactions", "Reactions"),
    },
    TableKind.COMPENSATION: {
        "owner": ("Commercial", "Owner", "Rep", "Sales rep", "Collaborateur", "Propriétaire"),
        "month": ("Month", "Mois", "Période", "Period"),
        "package": (
            "Package", "Total compensation", "Rémunération", "Coût total", "Package mensuel",
            "Monthly package",
        ),
        "annual_package": ("Annual package", "Package annuel", "Rémunération annuelle"),
    },
    TableKind.CHANNEL_COSTS: {
        "channel": ("Canal", "Channel", "Source", "Canal d'acquisition"),
        "month": ("Month", "Mois", "Période", "Period"),
        "spend": ("Spend", "Dépense", "Dépenses", "Budget", "Cost", "Coût"),
    },
}

# Every canonical field name also recognises itself (KPI_SPEC.md: "Canonical
# column names ... always map to themselves"), ahead of every synonym.
HEADER_INDEX: dict[TableKind, dict[str, list[tuple[int, str]]]] = {}
"""table -> folded header -> [(priority, field)], built once at import."""


def _build_header_index() -> None:
    for kind, synonyms in HEADER_SYNONYMS.items():
        index: dict[str, list[tuple[int, str]]] = {}
        for spec in FIELDS[kind]:
            names = (spec.name, *synonyms.get(spec.name, ()))
            for priority, name in enumerate(names):
                index.setdefault(fold(name), []).append((priority, spec.name))
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
# Channels (KPI_SPEC.md §2)
# --------------------------------------------------------------------------

CHANNEL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "linkedin": (
        "LinkedIn", "Linkedin Sales Navigator", "Social selling LinkedIn", "Sales Navigator",
        "LinkedIn Ads",
    ),
    "facebook": ("Facebook", "Meta"),
    "twitter": ("Twitter", "X", "X (Twitter)"),
    "viadeo": ("Viadeo",),
    "other_social": (
        "SOCIAL_MEDIA", "Social media", "Réseaux sociaux", "Instagram", "Organic social",
        "Social", "TikTok", "YouTube",
    ),
    "cold_email": (
        "Cold email", "Cold emailing", "E-mail à froid", "Email à froid", "Emailing",
        "Prospection email", "EMAIL_MARKETING", "Email", "Email marketing", "Outbound email",
    ),
    "cold_call": (
        "Cold call", "Cold calling", "Appel à froid", "Phoning", "Téléprospection",
        "Outbound call", "Call",
    ),
    "event": (
        "Event", "Trade show", "Seminar", "Webinar", "Salon", "Événement", "Conférence",
        "Conference", "Tradeshow", "Séminaire", "Webinaire", "Events",
    ),
    "website_organic": (
        "Website", "Web", "Site web", "ORGANIC_SEARCH", "DIRECT_TRAFFIC", "Organic search",
        "SEO", "Site internet", "Inbound", "Direct traffic", "Web site",
    ),
    "website_paid": (
        "Paid search", "PAID_SEARCH", "PAID_SOCIAL", "SEA", "Google Ads", "Publicité",
        "Paid social", "Advertisement", "Adwords", "Google AdWords", "Publicité en ligne",
    ),
    "word_of_mouth": ("Word of mouth", "Bouche à oreille", "Bouche-à-oreille"),
    "referral": (
        "Referral", "Partner Referral", "Employee Referral", "Parrainage", "Recommandation",
        "REFERRALS", "External Referral", "Partner", "Partenaire",
    ),
    "other": ("Other", "Autre", "OTHER_CAMPAIGNS", "OFFLINE"),
    "unknown": ("Unknown", "Inconnu", "N/A", "None", "-"),
}

CHANNEL_INDEX: dict[str, str] = {
    fold(raw): channel
    for channel, raws in CHANNEL_SYNONYMS.items()
    for raw in (channel, *raws)
}
for _channel in CHANNELS:
    CHANNEL_INDEX.setdefault(fold(_channel), _channel)

# --------------------------------------------------------------------------
# Statuses (KPI_SPEC.md §3). "deleted" is Pipedrive's: such deals are dropped.
# --------------------------------------------------------------------------

DELETED = "deleted"

STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    "won": (
        "won", "closed won", "closedwon", "fermé gagné", "gagné", "gagnée", "conclu",
        "conclue", "signé", "signée", "accepté", "acceptée", "accepted", "signed", "win",
        "closed - won", "gagne", "approved",
    ),
    "lost": (
        "lost", "closed lost", "closedlost", "closed lost to competition", "fermé perdu",
        "perdu", "perdue", "refusé", "refusée", "rejected", "declined", "expired",
        "expiré", "expirée", "cancelled", "canceled", "annulé", "annulée", "closed - lost",
        "refused",
    ),
    "open": ("open", "en cours", "ouvert", "ouverte", "pending", "en attente", "draft",
             "brouillon", "sent", "envoyé", "envoyée"),
    DELETED: ("deleted", "supprimé", "supprimée"),
}

STATUS_INDEX: dict[str, str] = {
    fold(raw): status for status, raws in STATUS_SYNONYMS.items() for raw in raws
}

# Lifecycle/lead statuses that mean "this lead is a customer" (KPI_SPEC.md §1).
CUSTOMER_STATUSES: frozenset[str] = frozenset(
    fold(s) for s in ("customer", "client", "won", "converted", "converti", "convertie",
                      "gagné", "closed won", "client signé")
)

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

TRUE_WORDS: frozenset[str] = frozenset({"true", "1", "yes", "oui", "vrai", "x", "y", "o"})
FALSE_WORDS: frozenset[str] = frozenset({"false", "0", "no", "non", "faux", "n"})


@dataclass
class Mappings:
    """The user's edits of the raw -> canonical value mappings (the Data page).

    Keys are raw values as exported; they are compared folded, and win over the
    built-in vocabulary.
    """

    channels: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)

    def channel_of(self, raw: str | None) -> str:
        """Canonical channel id of a raw source value (KPI_SPEC.md §2)."""
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
        return STATUS_INDEX.get(folded)
