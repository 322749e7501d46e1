"""Proposals (Sellsy-style quotes), compensation, content and channel costs."""

from datetime import date

import pytest

from kpi.schema import TableKind

SELLSY = """\
Numéro;Date du devis;Commercial;Montant HT;Statut
DEV-2024-001;05/03/2024;Claire Roux;1 500,00;Accepté
DEV-2024-002;18/03/2024;Claire Roux;2 250,50;Refusé
DEV-2024-003;20/03/2024;Paul Henry;990,00;En attente
DEV-2024-004;02/02/2024;Paul Henry;4 000,00;Expiré
"""


@pytest.fixture(scope="module")
def quotes(load, text):
    return load(text(SELLSY), "devis.csv")


def test_quotes_are_proposals(quotes):
    report = quotes.report
    assert report.table == TableKind.PROPOSALS
    assert report.delimiter == ";"
    assert report.decimal_mark == ","
    assert report.date_order == "DMY"
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (4, 4, 0)
    assert report.mapping == {
        "Numéro": "proposal_id",
        "Date du devis": "sent_at",
        "Commercial": "owner",
        "Montant HT": "amount",
        "Statut": "status",
    }


@pytest.mark.parametrize(
    ("proposal_id", "status", "status_raw", "sent_at", "owner", "amount"),
    [
        ("DEV-2024-001", "won", "Accepté", date(2024, 3, 5), "Claire Roux", 1500.0),
        ("DEV-2024-002", "lost", "Refusé", date(2024, 3, 18), "Claire Roux", 2250.5),
        ("DEV-2024-003", "open", "En attente", date(2024, 3, 20), "Paul Henry", 990.0),
        ("DEV-2024-004", "lost", "Expiré", date(2024, 2, 2), "Paul Henry", 4000.0),
    ],
)
def test_quote_values(quotes, proposal_id, status, status_raw, sent_at, owner, amount):
    row = quotes.by("proposal_id")[proposal_id]
    assert row["status"] == status
    assert row["status_raw"] == status_raw
    assert row["sent_at"] == sent_at
    assert row["owner"] == owner
    assert row["amount"] == amount
    assert row["deal_id"] is None


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        pytest.param(
            ["2024-03;Claire Roux;6 500,00", "2024-04;Paul Henry;5 800,50"],
            {("Claire Roux", date(2024, 3, 1)): 6500.0, ("Paul Henry", date(2024, 4, 1)): 5800.5},
            id="year-month",
        ),
        pytest.param(
            ["01/03/2024;Claire Roux;6 500,00", "01/04/2024;Paul Henry;5 800,50"],
            {("Claire Roux", date(2024, 3, 1)): 6500.0, ("Paul Henry", date(2024, 4, 1)): 5800.5},
            id="first-of-month-dmy",
        ),
        pytest.param(
            ["15/03/2024;Claire Roux;6 500,00", "30/04/2024;Paul Henry;5 800,50"],
            {("Claire Roux", date(2024, 3, 1)): 6500.0, ("Paul Henry", date(2024, 4, 1)): 5800.5},
            id="any-day-in-month",
        ),
    ],
)
def test_monthly_compensation(load, rows, expected):
    data = "\n".join(["Mois;Commercial;Rémunération", *rows, ""]).encode("utf-8")
    loaded = load(data, "remunerations.csv")
    assert loaded.report.table == TableKind.COMPENSATION
    assert loaded.report.mapping == {
        "Mois": "month",
        "Commercial": "owner",
        "Rémunération": "package",
    }
    got = {(r["owner"], r["month"]): r["package"] for r in loaded.rows}
    assert got == expected
    assert loaded.column("annual_package") == [None, None]


def test_annual_compensation(load, text):
    data = text(
        """\
        owner,annual_package
        Claire Roux,78000
        Paul Henry,69600.5
        """
    )
    loaded = load(data, "packages.csv")
    assert loaded.report.table == TableKind.COMPENSATION
    rows = loaded.by("owner")
    assert rows["Claire Roux"]["annual_package"] == 78000.0
    assert rows["Paul Henry"]["annual_package"] == 69600.5
    assert rows["Claire Roux"]["month"] is None
    assert rows["Paul Henry"]["month"] is None


CONTENT = """\
Date,Commercial,Type,Affaire,Titre,Vues,J'aime
2024-03-04,Claire Roux,deck_shared,DEV-1,Plaquette 2024,,
2024-03-05,Claire Roux,article_shared,,Article blog,120,8
2024-03-06,Paul Henry,own_post,,Mon retour du salon,1534,47
"""


def test_content(load, text):
    loaded = load(text(CONTENT), "contenus.csv")
    report = loaded.report
    assert report.table == TableKind.CONTENT
    assert report.mapping == {
        "Date": "date",
        "Commercial": "owner",
        "Type": "kind",
        "Affaire": "deal_id",
        "Titre": "title",
        "Vues": "views",
        "J'aime": "likes",
    }
    rows = {r["date"]: r for r in loaded.rows}
    deck = rows[date(2024, 3, 4)]
    assert deck["owner"] == "Claire Roux"
    assert deck["kind"] == "deck_shared"
    assert deck["deal_id"] == "DEV-1"
    assert deck["title"] == "Plaquette 2024"
    assert deck["views"] == 0
    assert deck["likes"] == 0
    article = rows[date(2024, 3, 5)]
    assert article["kind"] == "article_shared"
    assert article["deal_id"] is None
    assert (article["views"], article["likes"]) == (120, 8)
    post = rows[date(2024, 3, 6)]
    assert post["kind"] == "own_post"
    assert post["owner"] == "Paul Henry"
    assert (post["views"], post["likes"]) == (1534, 47)


def test_channel_costs(load, text):
    data = text(
        """\
        Canal;Mois;Dépense
        LinkedIn;2024-03;1 500,00
        Salon;2024-04;3 200,50
        Google Ads;2024-03;800
        Affichage;2024-03;120,00
        """
    )
    loaded = load(data, "budget.csv")
    assert loaded.report.table == TableKind.CHANNEL_COSTS
    assert loaded.report.mapping == {"Canal": "channel", "Mois": "month", "Dépense": "spend"}
    got = {(r["channel"], r["channel_raw"], r["month"]): r["spend"] for r in loaded.rows}
    assert got == {
        ("linkedin", "LinkedIn", date(2024, 3, 1)): 1500.0,
        ("event", "Salon", date(2024, 4, 1)): 3200.5,
        ("website_paid", "Google Ads", date(2024, 3, 1)): 800.0,
        ("other", "Affichage", date(2024, 3, 1)): 120.0,
    }
