"""Hand-made English and French spreadsheets (docs/tables.md).

What a sales team writes when it keeps its pipeline in a spreadsheet rather
than exporting it from a CRM: plain words (`Owner`, `Montant`, `Date de
création`, `Canal`) and the status and channel words of docs/tables.md, "Channels" and "Statuses".
Every header or value that one CRM writes lives in that CRM's module; a word
that many CRMs and spreadsheets share (`Amount`, `Stage`, `Closed Won`) is
here, once.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("Deal ID", "ID", "Identifiant", "ID de l'affaire", "ID de l'opportunité"),
        "deal_name": ("Deal Name", "Nom de l'affaire", "Nom de l'opportunité", "Titre"),
        "owner": ("Owner", "Commercial", "Collaborateur affecté", "User", "Propriétaire"),
        "stage": ("Stage", "Étape", "Phase"),
        "status": ("Statut", "Status"),
        "amount": ("Amount", "Montant", "Montant potentiel", "Value", "Valeur"),
        "created_at": ("Date de création", "Created"),
        "closed_at": ("Close Date", "Date de clôture", "Closed Date"),
        "lost_at": ("Date de perte",),
        "channel": ("Canal d'acquisition", "Canal", "Source"),
        "proposal_sent_at": (
            "Proposal sent date", "Date d'envoi de la proposition", "Date envoi devis",
            "Proposal sent", "Date d'envoi du devis",
        ),
        "lead_id": ("Lead ID",),
        "currency": ("Currency", "Devise"),
        "is_won": ("Gagné",),
        "is_closed": ("Fermé",),
    },
    TableKind.LEADS: {
        "lead_id": ("Lead ID", "Identifiant", "ID"),
        "owner": ("Owner", "Commercial", "Propriétaire"),
        "created_at": ("Date de création", "Created"),
        "channel": ("Source", "Canal d'acquisition", "Canal"),
        "converted_at": ("Date de conversion", "Date de passage client"),
        "lead_status": ("Statut", "Status"),
    },
    TableKind.PROPOSALS: {
        "proposal_id": (
            "Numéro de devis", "Devis - ID", "Quote - ID", "N° de devis", "Numero devis",
        ),
        "deal_id": ("Deal ID", "Affaire", "Opportunité", "Affaire - ID"),
        "owner": ("Commercial", "Owner", "Propriétaire", "Quote - Owner"),
        "sent_at": ("Date d'envoi", "Date du devis", "Quote date", "Date"),
        "amount": ("Montant HT", "Total HT", "Montant", "Amount", "Total"),
        "status": ("Statut", "Status", "Statut du devis"),
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
    # Quotas as a spreadsheet writes them, and the words CRMs' goal and quota
    # screens share: Salesforce's Start Date, Pipedrive's Assignee, Target and
    # Interval, HubSpot's Target and Start date.
    TableKind.QUOTAS: {
        "owner": ("Quota owner", "Owner", "Commercial", "Propriétaire", "Assignee",
                  "Assigned to", "Attribué à", "Rep"),
        # Not "Month" / "Mois": a packages file without its package column would
        # read as quotas.
        "period_start": ("Start date", "Date de début", "Period start", "Début de période",
                         "Period", "Période"),
        "target": ("Quota", "Objectif", "Target", "Cible", "Goal", "Quota amount",
                   "Target amount", "Montant de l'objectif", "Objectif de CA"),
        "interval": ("Interval", "Intervalle", "Period type", "Type de période", "Frequency",
                   "Fréquence"),
        "period_end": ("End date", "Date de fin", "Period end", "Fin de période"),
        "currency": ("Currency", "Devise"),
    },
}

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
