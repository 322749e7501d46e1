"""Pipedrive exports: French (cp1252, `;`, decimal commas, dd/mm/yyyy, space /
no-break space / narrow no-break space thousands separators) and English.

Status comes from the status column; closed_at from the won time for won
deals and the lost time for lost deals; `deleted` deals are dropped and counted.
"""

import codecs
from datetime import date

import pytest

from kpi.schema import TableKind

FR_HEADER = (
    "Affaire - ID;Affaire - Titre;Affaire - Propriétaire;Affaire - Étape;Affaire - Statut;"
    "Affaire - Valeur;Affaire - Affaire créée;Affaire - Date de gain;"
    "Affaire - Heure de l'échec;Affaire - Source du lead;Affaire - Devise"
)


def french_export(sep: str) -> str:
    """Four deals; `sep` is the thousands separator of the values."""
    return "\n".join(
        [
            FR_HEADER,
            f"101;Contrat Dupont;Hélène Lefèvre;Négociation;Gagnée;12{sep}345,50;"
            "05/03/2024;28/03/2024;;LinkedIn;EUR",
            f"102;Projet Martin;Jérôme Béranger;Proposition faite;Perdue;1{sep}250,00;"
            "14/02/2024;;20/03/2024;Salon;EUR",
            "103;Affaire Durand;Hélène Lefèvre;Qualifié;En cours;800;21/03/2024;;;"
            "Bouche à oreille;EUR",
            f"104;Doublon supprimé;Hélène Lefèvre;Qualifié;deleted;1{sep}000,00;22/03/2024;;;;EUR",
            "",
        ]
    )


VARIANTS = {
    "space-cp1252": (" ", "cp1252"),
    "nbsp-cp1252": ("\u00a0", "cp1252"),
    "narrow-nbsp-utf8": ("\u202f", "utf-8"),
}


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def fr(request, load):
    sep, encoding = VARIANTS[request.param]
    data = french_export(sep).encode(encoding)
    return load(data, f"pipedrive-{request.param}.csv"), encoding


def test_french_export_dialect(fr):
    loaded, encoding = fr
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert codecs.lookup(report.encoding).name == codecs.lookup(encoding).name
    assert report.delimiter == ";"
    assert report.decimal_mark == ","
    assert report.date_order == "DMY"
    assert report.header_row == 1


def test_french_headers_are_mapped(fr):
    loaded, _ = fr
    mapping = loaded.report.mapping
    assert mapping["Affaire - ID"] == "deal_id"
    assert mapping["Affaire - Titre"] == "deal_name"
    assert mapping["Affaire - Propriétaire"] == "owner"
    assert mapping["Affaire - Étape"] == "stage"
    assert mapping["Affaire - Statut"] == "status"
    assert mapping["Affaire - Valeur"] == "amount"
    assert mapping["Affaire - Affaire créée"] == "created_at"
    assert mapping["Affaire - Source du lead"] == "channel"
    assert mapping["Affaire - Devise"] == "currency"


def test_deleted_deal_is_dropped_and_counted(fr):
    loaded, _ = fr
    report = loaded.report
    assert report.rows_read == 4
    assert report.rows_dropped == 1
    assert report.rows_accepted == 3
    assert report.rows_rejected == 0
    assert "104" not in loaded.column("deal_id")


def test_won_deal_closes_on_won_time(fr):
    loaded, _ = fr
    row = loaded.by("deal_id")["101"]
    assert row["deal_name"] == "Contrat Dupont"
    assert row["owner"] == "Hélène Lefèvre"
    assert row["stage"] == "Négociation"
    assert row["status"] == "won"
    assert row["amount"] == 12345.5
    assert row["created_at"] == date(2024, 3, 5)
    assert row["closed_at"] == date(2024, 3, 28)
    assert row["channel"] == "linkedin"
    assert row["channel_raw"] == "LinkedIn"
    assert row["currency"] == "EUR"


def test_lost_deal_closes_on_lost_time(fr):
    loaded, _ = fr
    row = loaded.by("deal_id")["102"]
    assert row["owner"] == "Jérôme Béranger"
    assert row["status"] == "lost"
    assert row["amount"] == 1250.0
    assert row["created_at"] == date(2024, 2, 14)
    assert row["closed_at"] == date(2024, 3, 20)
    assert row["channel"] == "event"


def test_open_deal(fr):
    loaded, _ = fr
    row = loaded.by("deal_id")["103"]
    assert row["status"] == "open"
    assert row["amount"] == 800.0
    assert row["created_at"] == date(2024, 3, 21)
    assert row["closed_at"] is None
    assert row["channel"] == "word_of_mouth"
    assert row["channel_raw"] == "Bouche à oreille"


def test_dmy_dates_with_time(load):
    data = (
        "Affaire - ID;Affaire - Titre;Affaire - Propriétaire;Affaire - Statut;Affaire - Valeur;"
        "Affaire - Affaire créée;Affaire - Date de gain;Affaire - Heure de l'échec\n"
        "7;A;Luc;Gagnée;10,5;05/03/2024 09:12;28/03/2024 16:40;\n"
        "8;B;Luc;Perdue;20,25;14/02/2024 10:00;;02/04/2024 08:05\n"
    ).encode("cp1252")
    loaded = load(data, "pipedrive-times.csv")
    rows = loaded.by("deal_id")
    assert rows["7"]["created_at"] == date(2024, 3, 5)
    assert rows["7"]["closed_at"] == date(2024, 3, 28)
    assert rows["7"]["amount"] == 10.5
    assert rows["8"]["closed_at"] == date(2024, 4, 2)
    assert rows["8"]["amount"] == 20.25


EN_EXPORT = """\
Deal - ID,Deal - Title,Deal - Owner,Deal - Stage,Deal - Status,Deal - Value,Deal - Deal created,Deal - Won time,Deal - Lost time,Deal - Source channel
1,Big deal,Sam Lee,Negotiations Started,won,2500.75,2024-03-25 14:02:11,2024-04-10 09:00:00,,LinkedIn
2,Lost one,Ana Ruiz,Proposal Made,lost,1200,2024-02-01 08:00:00,,2024-03-12 17:45:00,Cold call
3,Still going,Sam Lee,Qualified,open,300,2024-04-01 10:30:00,,,Webinar
4,Removed,Ana Ruiz,Qualified,deleted,999,2024-04-02 10:30:00,,,
"""  # noqa: E501


@pytest.fixture(scope="module")
def en(load, text):
    return load(text(EN_EXPORT), "pipedrive-en.csv")


def test_english_export_mapping(en):
    assert en.report.table == TableKind.DEALS
    mapping = en.report.mapping
    assert mapping["Deal - ID"] == "deal_id"
    assert mapping["Deal - Title"] == "deal_name"
    assert mapping["Deal - Owner"] == "owner"
    assert mapping["Deal - Stage"] == "stage"
    assert mapping["Deal - Status"] == "status"
    assert mapping["Deal - Value"] == "amount"
    assert mapping["Deal - Deal created"] == "created_at"
    assert mapping["Deal - Source channel"] == "channel"


def test_english_export_values(en):
    report = en.report
    assert (report.rows_read, report.rows_accepted, report.rows_dropped) == (4, 3, 1)
    rows = en.by("deal_id")
    assert set(rows) == {"1", "2", "3"}
    won, lost, open_ = rows["1"], rows["2"], rows["3"]
    assert won["status"] == "won"
    assert won["amount"] == 2500.75
    assert won["created_at"] == date(2024, 3, 25)
    assert won["closed_at"] == date(2024, 4, 10)
    assert won["channel"] == "linkedin"
    assert won["owner"] == "Sam Lee"
    assert won["deal_name"] == "Big deal"
    assert won["stage"] == "Negotiations Started"
    assert lost["status"] == "lost"
    assert lost["amount"] == 1200.0
    assert lost["closed_at"] == date(2024, 3, 12)
    assert lost["channel"] == "cold_call"
    assert open_["status"] == "open"
    assert open_["closed_at"] is None
    assert open_["channel"] == "event"
