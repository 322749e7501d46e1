"""Generic spreadsheets and the CRMs the importer first learnt (KPI_SPEC.md §1-3).

The vocabulary of hand-made English and French spreadsheets, plus the headers
and values of HubSpot, Salesforce report labels, Pipedrive (EN / FR), Zoho,
Sellsy and Maven-style datasets as first written. CRM-specific entries move to
their own dialect module as those are written; what stays here is shared by
spreadsheets of any origin.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
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

_CHANNELS: dict[str, tuple[str, ...]] = {
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

_STATUSES: dict[str, tuple[str, ...]] = {
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
    "deleted": ("deleted", "supprimé", "supprimée"),
}

_CUSTOMER_STATUSES = (
    "customer", "client", "won", "converted", "converti", "convertie", "gagné", "closed won",
    "client signé",
)

DIALECT = Dialect(
    name="Generic",
    headers=_HEADERS,
    statuses=_STATUSES,
    channels=_CHANNELS,
    customer_statuses=_CUSTOMER_STATUSES,
    true_words=("true", "1", "yes", "oui", "vrai", "x", "y", "o"),
    false_words=("false", "0", "no", "non", "faux", "n"),
)
