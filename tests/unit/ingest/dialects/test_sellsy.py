"""Sellsy / Axonaut quote lists (kpi/ingest/dialects/sellsy.py): `;`-separated,
decimal commas, dd/mm/yyyy, statuses in French."""

from datetime import date

from kpi.schema import TableKind

QUOTES = """\
Numéro;Date;Client;Commercial;Montant HT;Montant TTC;Statut
DE-2024-0101;04/03/2024;Acme;Claire Roux;1 500,00;1 800,00;Accepté
DE-2024-0102;11/03/2024;Globex;Claire Roux;2 250,50;2 700,60;Refusé
DE-2024-0103;18/03/2024;Initech;Paul Henry;990,00;1 188,00;Envoyé
DE-2024-0104;25/03/2024;Umbrella;Paul Henry;4 000,00;4 800,00;Expiré
DE-2024-0105;26/03/2024;Hooli;Paul Henry;300,00;360,00;Brouillon
DE-2024-0106;27/03/2024;Stark;Claire Roux;700,00;840,00;Lu
"""


def test_quote_list_is_proposals(load, text):
    loaded = load(text(QUOTES), "devis.csv")
    report = loaded.report
    assert report.table == TableKind.PROPOSALS
    assert report.dialect == "Sellsy / Axonaut"
    assert report.mapping == {
        "Numéro": "proposal_id", "Date": "sent_at", "Commercial": "owner",
        "Montant HT": "amount", "Statut": "status",
    }
    got = {r["proposal_id"]: (r["status"], r["amount"], r["sent_at"]) for r in loaded.rows}
    assert got == {  # before tax (HT), never the TTC column
        "DE-2024-0101": ("won", 1500.0, date(2024, 3, 4)),
        "DE-2024-0102": ("lost", 2250.5, date(2024, 3, 11)),
        "DE-2024-0103": ("open", 990.0, date(2024, 3, 18)),
        "DE-2024-0104": ("lost", 4000.0, date(2024, 3, 25)),
        "DE-2024-0105": ("open", 300.0, date(2024, 3, 26)),
        "DE-2024-0106": ("open", 700.0, date(2024, 3, 27)),
    }
    assert not any(note.code == "msg.note.status_open" for note in report.notes), report.notes
