"""Every header of the docs/tables.md "Recognising real exports" table maps to
its canonical field, matched folded (case, accents, spaces, `’` = `'`).

Each case is a small file with canonical headers for the other columns and
the header under test in place of (or beside) one of them; the test checks
both the reported mapping and the typed value that reached the table.
"""

import csv
import io
from datetime import date

import pytest

from kpi.schema import TableKind

D = date(2024, 3, 25)

# table -> (canonical header, canonical row, key column)
BASES = {
    TableKind.DEALS: (
        ["deal_id", "owner", "status", "amount", "created_at", "closed_at"],
        ["K1", "Ann Lee", "won", "10", "2024-03-01", "2024-03-30"],
        "deal_id",
    ),
    TableKind.LEADS: (
        ["lead_id", "created_at", "owner", "channel", "converted_at"],
        ["L1", "2024-03-01", "Ann Lee", "Webinar", ""],
        "lead_id",
    ),
    TableKind.PROPOSALS: (
        ["proposal_id", "owner", "sent_at", "amount", "status"],
        ["Q1", "Ann Lee", "2024-03-01", "10", "open"],
        "proposal_id",
    ),
    TableKind.COMPENSATION: (
        ["owner", "month", "package"],
        ["Ann Lee", "2024-01", "10"],
        "owner",
    ),
    TableKind.CHANNEL_COSTS: (
        ["channel", "month", "spend"],
        ["Webinar", "2024-01", "10"],
        "channel",
    ),
}

# field -> (raw value written in the file, typed value expected in the table column)
VALUES = {
    "deal_id": ("X-42", "X-42"),
    "lead_id": ("X-42", "X-42"),
    "proposal_id": ("X-42", "X-42"),
    "deal_name": ("Acme renewal", "Acme renewal"),
    "owner": ("Zoé Martin", "Zoé Martin"),
    "stage": ("Closed Won", "Closed Won"),
    "status": ("won", "won"),
    "amount": ("1234.5", 1234.5),
    "spend": ("1234.5", 1234.5),
    "package": ("1234.5", 1234.5),
    "annual_package": ("1234.5", 1234.5),
    "created_at": ("2024-03-25", D),
    "closed_at": ("2024-03-25", D),
    "sent_at": ("2024-03-25", D),
    "converted_at": ("2024-03-25", D),
    "proposal_sent_at": ("2024-03-25", D),
    "month": ("2024-03", date(2024, 3, 1)),
    "channel": ("LinkedIn", "linkedin"),
    "currency": ("EUR", "EUR"),
}

ALIASES: dict[TableKind, dict[str, list[str]]] = {
    TableKind.DEALS: {
        "deal_id": [
            "Record ID", "Deal ID", "Opportunity ID", "Deal - ID", "Record Id",
            "ID de fiche d'informations", "Affaire - ID", "opportunity_id", "Identifiant",
        ],
        "deal_name": [
            "Deal Name", "Opportunity Name", "Deal - Title", "Nom de la transaction",
            "Affaire - Titre", "Nom de l'opportunité",
        ],
        "owner": [
            "Deal owner", "Opportunity Owner", "Deal - Owner", "Deal Owner",
            "Propriétaire de la transaction", "Propriétaire de l'opportunité",
            "Affaire - Propriétaire", "sales_agent", "Commercial", "Collaborateur affecté", "User",
        ],
        "stage": [
            "Deal Stage", "Stage", "Deal - Stage", "Phase de la transaction", "Étape", "Etape",
            "Affaire - Étape", "deal_stage",
        ],
        "status": ["Deal - Status", "Affaire - Statut", "Statut", "Status"],
        "amount": [
            "Amount", "Deal - Value", "Montant", "Affaire - Valeur",
            "close_value", "Montant potentiel",
        ],
        "created_at": [
            "Create Date", "Created Date", "Deal - Deal created", "Created Time",
            "Date de création", "Affaire - Affaire créée", "engage_date",
        ],
        "closed_at": [
            "Close Date", "Deal - Deal closed on", "Closing Date", "Date de fermeture",
            "Date de clôture", "close_date",
        ],
        "channel": [
            "Original Source", "Original Source Type", "Lead Source", "Deal - Source channel",
            "Deal - Source origin", "Origine de la piste", "Source d'origine",
            "Affaire - Source du lead", "Source", "Canal", "Canal d'acquisition",
        ],
        "proposal_sent_at": [
            'Date entered "Contract sent (Sales Pipeline)"',
            'Date entered "Proposal Sent (Sales Pipeline)"',
            "Proposal sent date", "Date d'envoi de la proposition", "Date envoi devis",
        ],
        "currency": ["Currency", "Opportunity Currency", "Deal - Currency", "Devise", "Affaire - Devise"],
    },
    TableKind.LEADS: {
        "lead_id": ["Lead ID", "Lead - ID", "ID de piste", "Person - ID"],
        "owner": [
            "Contact owner", "Lead Owner", "Person - Owner", "Propriétaire du contact",
            "Propriétaire de la piste",
        ],
        "created_at": ["Create Date", "Created Date", "Person - Created", "Date de création"],
        "channel": ["Original Source", "Lead Source", "Origine de la piste", "Source"],
        "converted_at": ["Became a Customer Date", "Converted Date", "Date de conversion"],
    },
    TableKind.PROPOSALS: {
        "proposal_id": ["Quote ID", "Quote Number", "Numéro de devis", "Numéro", "Référence"],
        "sent_at": ["Sent date", "Date d'envoi", "Date du devis"],
        "owner": ["Quote owner", "Commercial"],
        "amount": ["Montant HT", "Total HT"],
        "status": ["Status", "Statut"],
    },
    TableKind.COMPENSATION: {
        "month": ["Month", "Mois", "Période"],
        "package": ["Package", "Total compensation", "Rémunération", "Coût total"],
    },
    TableKind.CHANNEL_COSTS: {
        "channel": ["Canal"],
        "month": ["Mois"],
        "spend": ["Dépense", "Budget"],
    },
}  # fmt: skip

# The same headers written as people and tools actually write them.
FOLDED: list[tuple[TableKind, str, str]] = [
    (TableKind.DEALS, "owner", "DEAL OWNER"),
    (TableKind.DEALS, "owner", "  Deal   owner "),
    (TableKind.DEALS, "owner", "Propriétaire de l’opportunité"),
    (TableKind.DEALS, "owner", "PROPRIETAIRE DE L'OPPORTUNITE"),
    (TableKind.DEALS, "deal_name", "nom de l’opportunite"),
    (TableKind.DEALS, "created_at", "date de creation"),
    (TableKind.DEALS, "closed_at", "DATE DE CLOTURE"),
    (TableKind.DEALS, "channel", "Canal d’acquisition"),
    (TableKind.DEALS, "channel", "SOURCE D’ORIGINE"),
    (TableKind.DEALS, "stage", "ÉTAPE"),
    (TableKind.DEALS, "deal_id", "id de fiche d’informations"),
    (TableKind.DEALS, "amount", "montant"),
    (TableKind.LEADS, "converted_at", "DATE DE CONVERSION"),
    (TableKind.PROPOSALS, "proposal_id", "numero de devis"),
    (TableKind.PROPOSALS, "sent_at", "Date d’envoi"),
    (TableKind.COMPENSATION, "month", "periode"),
    (TableKind.COMPENSATION, "package", "cout total"),
    (TableKind.CHANNEL_COSTS, "spend", "DEPENSE"),
]

CASES = [
    pytest.param(kind, field, alias, id=f"{kind.value}.{field}:{alias}")
    for kind, fields in ALIASES.items()
    for field, aliases in fields.items()
    for alias in aliases
] + [
    pytest.param(kind, field, alias, id=f"folded.{kind.value}.{field}:{alias}")
    for kind, field, alias in FOLDED
]


def build(kind: TableKind, field: str, alias: str) -> tuple[bytes, str]:
    header, row, key = BASES[kind]
    header, row = list(header), list(row)
    raw, _ = VALUES[field]
    if field in header:
        i = header.index(field)
        header[i], row[i] = alias, raw
    else:
        header.append(alias)
        row.append(raw)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(row)
    return out.getvalue().encode("utf-8"), key


@pytest.mark.parametrize(("kind", "field", "alias"), CASES)
def test_header_alias(load, kind, field, alias):
    data, key = build(kind, field, alias)
    loaded = load(data, "aliases.csv")
    assert loaded.report.table == kind
    mapping = loaded.report.mapping
    # the report may name the column with its surrounding spaces trimmed
    assert mapping.get(alias, mapping.get(alias.strip())) == field, mapping
    assert loaded.report.rows_rejected == 0, loaded.report.rejects
    (row,) = loaded.rows
    assert row[field] == VALUES[field][1]


@pytest.mark.parametrize(
    "alias", ["Amount in company currency", "Amount (converted)", "ConvertedAmount"]
)
def test_amount_in_company_currency_aliases(load, alias):
    """docs/tables.md: the converted amount is used, in the workspace's currency."""
    header = ["deal_id", "owner", "status", alias, "created_at", "closed_at"]
    data = (",".join(header) + "\nK1,Ann Lee,won,1234.5,2024-03-01,2024-03-30\n").encode()
    loaded = load(data, "converted.csv")
    assert loaded.report.table == TableKind.DEALS
    assert loaded.report.mapping[alias] == "amount_company"
    (row,) = loaded.rows
    assert (row["amount"], row["currency"]) == (1234.5, "EUR")


def test_annual_package_aliases(load, text):
    for alias in ("Annual package", "Package annuel"):
        loaded = load(text(f"owner,{alias}\nAnn Lee,60000\n"), "annual.csv")
        assert loaded.report.table == TableKind.COMPENSATION
        assert loaded.report.mapping[alias] == "annual_package"
        (row,) = loaded.rows
        assert row["annual_package"] == 60000.0
        assert row["month"] is None


@pytest.mark.parametrize(
    "header",
    ["Lifecycle Stage", "Lead Status", "Statut de la piste", "Phase du cycle de vie"],
)
@pytest.mark.parametrize("value", ["customer", "Customer", "client", "Client"])
def test_lead_status_customer_converts_on_created_at(load, header, value):
    data = f"lead_id,created_at,owner,{header}\nL1,2024-03-25,Ann Lee,{value}\n".encode()
    loaded = load(data, "leads-status.csv")
    assert loaded.report.table == TableKind.LEADS
    (row,) = loaded.rows
    assert row["converted_at"] == D


@pytest.mark.parametrize(
    "header",
    ["Lifecycle Stage", "Lead Status", "Statut de la piste", "Phase du cycle de vie"],
)
def test_lead_status_other_values_do_not_convert(load, header):
    data = f"lead_id,created_at,owner,{header}\nL1,2024-03-25,Ann Lee,lead\n".encode()
    loaded = load(data, "leads-status.csv")
    (row,) = loaded.rows
    assert row["converted_at"] is None


@pytest.mark.parametrize(
    ("won_header", "lost_header", "status_header"),
    [
        ("Deal - Won time", "Deal - Lost time", "Deal - Status"),
        ("Affaire - Date de gain", "Affaire - Heure de l'échec", "Affaire - Statut"),
    ],
)
def test_won_and_lost_times_feed_closed_at(load, won_header, lost_header, status_header):
    header = ["deal_id", "owner", status_header, "amount", "created_at", won_header, lost_header]
    rows = [
        ["W", "Ann Lee", "won", "1", "2024-03-01", "2024-03-20", ""],
        ["L", "Ann Lee", "lost", "1", "2024-03-01", "", "2024-03-21"],
        ["O", "Ann Lee", "open", "1", "2024-03-01", "", ""],
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    loaded = load(out.getvalue().encode(), "pipedrive-times.csv")
    got = {r["deal_id"]: (r["status"], r["closed_at"]) for r in loaded.rows}
    assert got == {
        "W": ("won", date(2024, 3, 20)),
        "L": ("lost", date(2024, 3, 21)),
        "O": ("open", None),
    }


def test_hubspot_french_deals_export(load, text):
    data = text(
        """\
        ID de fiche d’informations;Nom de la transaction;Propriétaire de la transaction;Phase de la transaction;Montant;Date de création;Date de fermeture;Source d’origine;Devise
        9001;Refonte;Zoé Martin;Fermé gagné;2 500,00;25/03/2024 10:12;30/04/2024 16:00;Recherche organique;EUR
        9002;Audit;Zoé Martin;Fermé perdu;900,00;26/03/2024 10:12;15/04/2024 16:00;Réseaux sociaux;EUR
        9003;Formation;;Rendez-vous programmé;;27/03/2024 10:12;;;EUR
        """  # noqa: E501
    )
    loaded = load(data, "hubspot-fr.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.mapping["ID de fiche d’informations"] == "deal_id"
    assert report.mapping["Propriétaire de la transaction"] == "owner"
    assert report.mapping["Phase de la transaction"] == "stage"
    assert report.mapping["Date de fermeture"] == "closed_at"
    rows = loaded.by("deal_id")
    assert rows["9001"]["amount"] == 2500.0
    assert rows["9001"]["created_at"] == date(2024, 3, 25)
    assert rows["9001"]["closed_at"] == date(2024, 4, 30)
    assert rows["9001"]["status"] == "won"
    assert rows["9002"]["status"] == "lost"
    assert rows["9002"]["closed_at"] == date(2024, 4, 15)
    assert rows["9002"]["channel"] == "other_social"
    assert rows["9003"]["owner"] == "Unassigned"
    assert rows["9003"]["amount"] == 0.0
    assert rows["9003"]["channel"] == "unknown"
    assert rows["9003"]["status"] == "open"
