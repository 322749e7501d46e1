"""Pipedrive deal exports in German, Portuguese and Spanish UIs
(kpi/ingest/dialects/pipedrive.py). English and French exports are tested in
test_ingest_pipedrive.py. Pipedrive writes plain numbers and ISO date-times
whatever the UI language, and translates the status."""

from datetime import date

from kpi.schema import TableKind

GERMAN = """\
Deal - ID,Deal - Titel,Deal - Besitzer,Deal - Wert,Deal - Status,Deal - Phase,Deal - Deal erstellt,Deal - Datum des gewonnenen Deals,Deal - Datum des verlorenen Deals,Deal - Deal abgeschlossen am
11,Rahmenvertrag,Jonas Weber,12500.5,Gewonnen,Verhandlung,2025-03-05 09:12:00,2025-03-28 16:40:00,,2025-03-28 16:40:00
12,Pilotprojekt,Lena Schmidt,3000,Verloren,Angebot gemacht,2025-02-14 10:00:00,,2025-03-20 08:05:00,2025-03-20 08:05:00
13,Erweiterung,Jonas Weber,800,Offen,Qualifiziert,2025-03-21 11:00:00,,,
14,Dublette,Lena Schmidt,100,Gelöscht,Qualifiziert,2025-03-22 11:00:00,,,
"""  # noqa: E501

PORTUGUESE = """\
Negócio - ID,Negócio - Título,Negócio - Valor,Negócio - Etapa,Negócio - Status,Negócio - Negócio criado em,Negócio - Ganho em,Negócio - Data de perda,Negócio - Proprietário
21,Contrato anual,4500,Negociação,Ganho,2025-01-10 09:00:00,2025-02-03 15:00:00,,Ana Souza
22,Piloto,1200,Proposta enviada,Perdido,2025-01-12 09:00:00,,2025-02-10 10:00:00,Bruno Lima
23,Expansão,900,Qualificado,Aberto,2025-01-15 09:00:00,,,Ana Souza
24,Duplicado,100,Qualificado,Excluído,2025-01-16 09:00:00,,,Bruno Lima
"""  # noqa: E501

SPANISH = """\
Trato - ID,Trato - Título,Trato - Valor,Trato - Moneda,Trato - Estado,Trato - Propietario,Trato - Etapa,Trato - Trato creado
31,Licencias,2500,ARS,Abierto,Lucía Gómez,Propuesta realizada,2025-04-01 10:00:00
32,Soporte,700,ARS,Ganado,Lucía Gómez,Negociaciones iniciadas,2025-04-02 10:00:00
"""  # noqa: E501


def test_german_export(load, text):
    loaded = load(text(GERMAN), "deals-de.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Pipedrive"
    assert report.mapping == {
        "Deal - ID": "deal_id", "Deal - Titel": "deal_name", "Deal - Besitzer": "owner",
        "Deal - Wert": "amount", "Deal - Status": "status", "Deal - Phase": "stage",
        "Deal - Deal erstellt": "created_at", "Deal - Datum des gewonnenen Deals": "won_at",
        "Deal - Datum des verlorenen Deals": "lost_at",
        "Deal - Deal abgeschlossen am": "closed_at",
    }
    # Gelöscht deals are dropped and counted (docs/tables.md, "Statuses").
    assert (report.rows_read, report.rows_accepted, report.rows_dropped) == (4, 3, 1)
    got = {r["deal_id"]: (r["status"], r["amount"], r["closed_at"]) for r in loaded.rows}
    assert got == {
        "11": ("won", 12500.5, date(2025, 3, 28)),
        "12": ("lost", 3000.0, date(2025, 3, 20)),
        "13": ("open", 800.0, None),
    }


def test_portuguese_export(load, text):
    loaded = load(text(PORTUGUESE), "negocios.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.mapping["Negócio - Proprietário"] == "owner"
    assert report.mapping["Negócio - Negócio criado em"] == "created_at"
    assert report.mapping["Negócio - Ganho em"] == "won_at"
    assert report.mapping["Negócio - Data de perda"] == "lost_at"
    assert (report.rows_accepted, report.rows_dropped) == (3, 1)
    got = {r["deal_id"]: (r["status"], r["owner"], r["closed_at"]) for r in loaded.rows}
    assert got == {
        "21": ("won", "Ana Souza", date(2025, 2, 3)),
        "22": ("lost", "Bruno Lima", date(2025, 2, 10)),
        "23": ("open", "Ana Souza", None),
    }


def test_spanish_export(load, text, names):
    loaded = load(text(SPANISH), "tratos.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.mapping["Trato - Estado"] == "status"
    assert report.mapping["Trato - Moneda"] == "currency"
    (row,) = loaded.rows
    assert (row["deal_id"], row["status"], row["currency"]) == ("31", "open", "ARS")
    # Ganado is won; this export has no close date, and a won deal needs one.
    (reject,) = report.rejects
    assert reject.row == 3 and names(reject, "closed_at")
