"""Hand-made English and French spreadsheets (docs/tables.md).

What a sales team writes when it keeps its pipeline in a spreadsheet rather
than exporting it from a CRM: plain words (`Owner`, `Montant`, `Date de
création`, `Canal`) and the status and channel words of docs/tables.md, "Channels" and "Statuses".
Every header or value that one CRM writes lives in that CRM's module; a word
that many CRMs and spreadsheets share (`Amount`, `Stage`, `Closed Won`) is
here, once: the headers are declared with their table's fields
(kpi.schema.TABLES, `headers`) and gathered here; the values below.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TABLES, TableKind

# Declared with the tables (kpi.schema.TABLES, each field's `headers`): a
# table's common headers are written where the table is.
_HEADERS: dict[TableKind, Headers] = {
    kind: headers for kind, table in TABLES.items()
    if (headers := {spec.name: spec.headers for spec in table.fields if spec.headers})}

# docs/tables.md, "Channels", in plain English and French; CRM codes are in their dialects.
_CHANNELS: dict[str, tuple[str, ...]] = {
    "linkedin": (
        "LinkedIn", "Linkedin Sales Navigator", "Social selling LinkedIn", "Sales Navigator",
        "LinkedIn Ads",
    ),
    "facebook": ("Facebook", "Meta"),
    "twitter": ("Twitter", "X", "X (Twitter)"),
    "viadeo": ("Viadeo",),
    "other_social": (
        "Social media", "Réseaux sociaux", "Instagram", "Organic social", "Social", "TikTok",
        "YouTube",
    ),
    "cold_email": (
        "Cold email", "Cold emailing", "E-mail à froid", "Email à froid", "Emailing",
        "Prospection email", "Email", "Email marketing", "Outbound email",
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
        "Website", "Web", "Site web", "Organic search", "SEO", "Site internet", "Inbound",
        "Direct traffic",
    ),
    "website_paid": (
        "Paid search", "SEA", "Google Ads", "Publicité", "Paid social", "Advertisement",
        "Adwords", "Google AdWords", "Publicité en ligne",
    ),
    "word_of_mouth": ("Word of mouth", "Bouche à oreille", "Bouche-à-oreille"),
    "referral": (
        "Referral", "Parrainage", "Recommandation", "Partner", "Partenaire",
    ),
    "other": ("Other", "Autre"),
    "unknown": ("Unknown", "Inconnu", "N/A", "None", "-"),
}

# docs/tables.md, "Statuses", in plain English and French.
_STATUSES: dict[str, tuple[str, ...]] = {
    "won": (
        "won", "closed won", "closedwon", "fermé gagné", "gagné", "gagnée", "conclu",
        "conclue", "signé", "signée", "accepté", "acceptée", "accepted", "signed", "win",
        "approved",
    ),
    "lost": (
        "lost", "closed lost", "closedlost", "closed lost to competition", "fermé perdu",
        "perdu", "perdue", "refusé", "refusée", "rejected", "declined", "expired",
        "expiré", "expirée", "cancelled", "canceled", "annulé", "annulée", "refused",
    ),
    "open": ("open", "en cours", "ouvert", "ouverte", "pending", "en attente", "draft",
             "brouillon", "sent", "envoyé", "envoyée"),
    "deleted": ("deleted", "supprimé", "supprimée"),
}

_CUSTOMER_STATUSES = (
    "customer", "client", "won", "converted", "converti", "convertie", "gagné", "closed won",
    "client signé",
)

DIALECT = Dialect(
    name="Spreadsheet",
    headers=_HEADERS,
    statuses=_STATUSES,
    channels=_CHANNELS,
    customer_statuses=_CUSTOMER_STATUSES,
    true_words=("true", "1", "yes", "oui", "vrai", "x", "o"),
    false_words=("false", "0", "no", "non", "faux"),
)
