"""Channel and status vocabularies (docs/tables.md, "Channels" and §3) and the user's
`Mappings` overrides. Raw values match case-, accent- and punctuation-
insensitively; the raw text stays visible in channel_raw / status_raw."""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from datetime import date

import pytest

from kpi.ingest import Mappings
from kpi.ingest.dialects import DIALECTS, Dialect
from kpi.ingest.fold import fold
from kpi.schema import CHANNELS, TableKind

SPEC_CHANNELS: dict[str, list[str]] = {
    "linkedin": ["LinkedIn", "Linkedin Sales Navigator", "Social selling LinkedIn"],
    "facebook": ["Facebook"],
    "twitter": ["Twitter", "X"],
    "viadeo": ["Viadeo"],
    "other_social": ["SOCIAL_MEDIA", "Social media", "Réseaux sociaux", "Instagram"],
    "cold_email": [
        "Cold email",
        "Cold emailing",
        "E-mail à froid",
        "Emailing",
        "Prospection email",
        "EMAIL_MARKETING",
    ],
    "cold_call": ["Cold call", "Cold calling", "Appel à froid", "Phoning", "Téléprospection"],
    "event": ["Event", "Trade show", "Seminar", "Webinar", "Salon", "Événement", "Conférence"],
    "website_organic": [
        "Website",
        "Web",
        "Site web",
        "ORGANIC_SEARCH",
        "DIRECT_TRAFFIC",
        "Organic search",
        "SEO",
    ],
    "website_paid": ["Paid search", "PAID_SEARCH", "PAID_SOCIAL", "SEA", "Google Ads", "Publicité"],
    "word_of_mouth": ["Word of mouth", "Bouche à oreille"],
    "referral": [
        "Referral",
        "Partner Referral",
        "Employee Referral",
        "Parrainage",
        "Recommandation",
        "REFERRALS",
    ],
}

# Same values, written differently: case, accents, punctuation, spacing.
FOLDED_CHANNELS: list[tuple[str, str]] = [
    ("LINKEDIN", "linkedin"),
    ("  linkedin  ", "linkedin"),
    ("reseaux sociaux", "other_social"),
    ("RÉSEAUX SOCIAUX", "other_social"),
    ("Bouche-à-oreille", "word_of_mouth"),
    ("bouche a oreille", "word_of_mouth"),
    ("E-MAIL A FROID", "cold_email"),
    ("evenement", "event"),
    ("social_media", "other_social"),
    ("Google ads", "website_paid"),
]

CHANNEL_CASES: list[tuple[str, str]] = (
    [(raw, cid) for cid, raws in SPEC_CHANNELS.items() for raw in raws]
    + FOLDED_CHANNELS
    + [(cid, cid) for cid in CHANNELS]  # canonical values map to themselves
    + [("Carrier pigeon", "other"), ("OTHER_CAMPAIGNS", "other"), ("Affichage 4x3", "other")]
)

WON = [
    "won", "Won", "closed won", "Closed Won", "closedwon", "fermé gagné", "Fermé gagné",
    "gagné", "gagnée", "Gagnée", "conclu", "conclue", "signé", "signée", "Signé",
    "accepté", "acceptée", "Accepté", "accepted", "signed", "WON", "Ferme gagne",
]  # fmt: skip
LOST = [
    "lost", "Lost", "closed lost", "Closed Lost", "closedlost", "closed lost to competition",
    "Closed Lost to Competition", "fermé perdu", "perdu", "perdue", "Perdue", "refusé",
    "refusée", "Refusé", "rejected", "declined", "expired", "expiré", "expirée", "Expiré",
    "cancelled", "annulé", "annulée", "Annulé", "LOST", "ferme perdu",
]  # fmt: skip
OPEN = [
    "open", "Open", "Qualified", "Appointment scheduled", "En cours", "Négociation",
    "Proposal sent", "Prospecting", "Engaging", "En attente",
]  # fmt: skip
STATUS_CASES = (
    [(raw, "won") for raw in WON]
    + [(raw, "lost") for raw in LOST]
    + [(raw, "open") for raw in OPEN]
)


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@pytest.fixture(scope="module")
def channels_file(load):
    rows = [
        [f"C{i}", "Ann Lee", "open", "10", "2024-03-25", raw]
        for i, (raw, _) in enumerate(CHANNEL_CASES)
    ]
    rows.append([f"C{len(CHANNEL_CASES)}", "Ann Lee", "open", "10", "2024-03-25", ""])
    header = ["deal_id", "owner", "status", "amount", "created_at", "channel"]
    return load(csv_bytes(header, rows), "channels.csv").by("deal_id")


@pytest.mark.parametrize(
    ("index", "raw", "expected"), [(i, *c) for i, c in enumerate(CHANNEL_CASES)]
)
def test_channel_vocabulary(channels_file, index, raw, expected):
    row = channels_file[f"C{index}"]
    assert row["channel"] == expected, raw
    assert row["channel_raw"].strip() == raw.strip()


def test_empty_channel_is_unknown(channels_file):
    row = channels_file[f"C{len(CHANNEL_CASES)}"]
    assert row["channel"] == "unknown"


def status_file(load, column: str):
    rows = []
    for i, (raw, expected) in enumerate(STATUS_CASES):
        closed = "" if expected == "open" else "2024-04-01"
        rows.append([f"S{i}", "Ann Lee", raw, "10", "2024-03-25", closed])
    header = ["deal_id", "owner", column, "amount", "created_at", "closed_at"]
    return load(csv_bytes(header, rows), f"statuses-{column}.csv")


@pytest.fixture(scope="module")
def by_status_column(load):
    return status_file(load, "status").by("deal_id")


@pytest.fixture(scope="module")
def by_stage_column(load):
    return status_file(load, "stage").by("deal_id")


@pytest.mark.parametrize(
    ("index", "raw", "expected"), [(i, *c) for i, c in enumerate(STATUS_CASES)]
)
def test_status_column_vocabulary(by_status_column, index, raw, expected):
    row = by_status_column[f"S{index}"]
    assert row["status"] == expected, raw
    assert row["status_raw"] == raw


@pytest.mark.parametrize(
    ("index", "raw", "expected"), [(i, *c) for i, c in enumerate(STATUS_CASES)]
)
def test_status_derived_from_stage(by_stage_column, index, raw, expected):
    row = by_stage_column[f"S{index}"]
    assert row["status"] == expected, raw
    assert row["stage"] == raw
    assert row["status_raw"] == raw


def test_unknown_channel_keeps_raw_value(load, text):
    loaded = load(
        text(
            """\
            deal_id,owner,status,amount,created_at,channel
            U1,Ann Lee,open,10,2024-03-25,Radio Nostalgie
            """
        ),
        "unknown-channel.csv",
    )
    row = loaded.by("deal_id")["U1"]
    assert row["channel"] == "other"
    assert row["channel_raw"] == "Radio Nostalgie"


MAPPED = """\
deal_id,owner,stage,amount,created_at,closed_at,channel
M1,Ann Lee,Stand-by,10,2024-03-25,2024-04-01,Carrier Pigeon
M2,Ann Lee,Signé,20,2024-03-25,,salon
M3,Ann Lee,Closed Won,30,2024-03-25,2024-04-02,LinkedIn
M4,Ann Lee,Verbal OK,40,2024-03-25,2024-04-03,Radio
"""


def test_mappings_override_the_vocabulary(load, text):
    mappings = Mappings(
        channels={"carrier pigeon": "referral", "Salon": "cold_call"},
        statuses={"STAND-BY": "lost", "signe": "open", "Verbal OK.": "won"},
    )
    loaded = load(text(MAPPED), "mapped.csv", mappings=mappings)
    rows = loaded.by("deal_id")
    assert rows["M1"]["channel"] == "referral"
    assert rows["M1"]["channel_raw"] == "Carrier Pigeon"
    assert rows["M1"]["status"] == "lost"
    assert rows["M2"]["channel"] == "cold_call"  # built-in says event: the user's edit wins
    assert rows["M2"]["status"] == "open"  # built-in says won: the user's edit wins
    assert rows["M3"]["channel"] == "linkedin"  # untouched values keep the built-in mapping
    assert rows["M3"]["status"] == "won"
    assert rows["M4"]["status"] == "won"
    assert rows["M4"]["channel"] == "other"
    assert loaded.report.rows_rejected == 0


def test_without_mappings_same_file_uses_builtins(load, text):
    loaded = load(text(MAPPED), "unmapped.csv")
    rows = loaded.by("deal_id")
    assert rows["M1"]["channel"] == "other"
    assert rows["M1"]["status"] == "open"
    assert rows["M3"]["status"] == "won"
    assert loaded.report.table == TableKind.DEALS
    # Signé is won but has no closed date: rejected, not silently kept open
    assert "M2" not in rows
    assert loaded.report.rows_rejected >= 1


def test_channel_costs_use_the_same_vocabulary(load, text):
    loaded = load(
        text(
            """\
            channel,month,spend
            Social selling LinkedIn,2024-03,100
            Carrier pigeon,2024-03,5
            """
        ),
        "costs.csv",
        mappings=Mappings(channels={"Carrier pigeon": "referral"}),
    )
    got = {r["channel_raw"]: (r["channel"], r["month"], r["spend"]) for r in loaded.rows}
    assert got == {
        "Social selling LinkedIn": ("linkedin", date(2024, 3, 1), 100.0),
        "Carrier pigeon": ("referral", date(2024, 3, 1), 5.0),
    }



def _meanings(entries: Callable[[Dialect], Iterable[tuple[Hashable, str]]]) -> dict:
    """key -> every meaning some dialect gives it (key: a folded value, or table + header)."""
    found: dict[Hashable, set[str]] = defaultdict(set)
    for dialect in DIALECTS:
        for key, meaning in entries(dialect):
            found[key].add(meaning)
    return found


def test_no_status_or_channel_value_means_two_things_across_dialects():
    """The merged index keeps the first dialect's meaning: a second one would be silently lost."""
    statuses = _meanings(lambda d: [(fold(raw), status) for status, raws in d.statuses.items()
                                    for raw in raws])
    channels = _meanings(lambda d: [(fold(raw), channel) for channel, raws in d.channels.items()
                                    for raw in (channel, *raws)])
    assert {raw: s for raw, s in statuses.items() if len(s) > 1} == {}
    assert {raw: c for raw, c in channels.items() if len(c) > 1} == {}


def test_headers_with_two_meanings_are_only_the_known_ones():
    """Odoo's `Opportunity` is the deal's name, Bitrix24's `OPPORTUNITY` its amount, and
    Salesforce's User `Name` the full name, Bitrix24's user `NAME` the first name: the only
    headers two CRMs use for different fields of one table (the file's dialect decides)."""
    headers = _meanings(lambda d: [((kind, fold(name)), field_name)
                                   for kind, fields in d.headers.items()
                                   for field_name, names in fields.items() for name in names])
    ambiguous = {key: fields for key, fields in headers.items() if len(fields) > 1}
    assert ambiguous == {(TableKind.DEALS, "opportunity"): {"deal_name", "amount"},
                         (TableKind.USERS, "name"): {"full_name", "first_name"}}
