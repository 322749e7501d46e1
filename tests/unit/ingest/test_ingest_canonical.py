"""Canonical column names and canonical values always map to themselves
(docs/tables.md), for every table."""

from datetime import date

import pytest

from kpi.schema import TableKind

CASES = {
    "deals": (
        TableKind.DEALS,
        """\
        deal_id,deal_name,owner,channel,stage,status,amount,created_at,closed_at,proposal_sent_at,lead_id,currency
        K1,Acme,Ann Lee,linkedin,Negotiation,won,1234.5,2024-03-01,2024-03-20,2024-03-10,L1,EUR
        K2,Globex,Bo Chen,website_paid,Proposal,open,99,2024-03-02,,,,EUR
        """,  # noqa: E501
        "deal_id",
        {
            "K1": {
                "deal_name": "Acme", "owner": "Ann Lee", "channel": "linkedin",
                "channel_raw": "linkedin", "stage": "Negotiation", "status": "won",
                "amount": 1234.5, "created_at": date(2024, 3, 1), "closed_at": date(2024, 3, 20),
                "proposal_sent_at": date(2024, 3, 10), "lead_id": "L1", "currency": "EUR",
            },
            "K2": {
                "channel": "website_paid", "status": "open", "amount": 99.0,
                "closed_at": None, "proposal_sent_at": None, "lead_id": None,
            },
        },
    ),
    "leads": (
        TableKind.LEADS,
        """\
        lead_id,created_at,owner,channel,converted_at
        L1,2024-02-01,Ann Lee,word_of_mouth,2024-02-20
        L2,2024-02-02,Bo Chen,cold_call,
        """,
        "lead_id",
        {
            "L1": {
                "created_at": date(2024, 2, 1), "owner": "Ann Lee", "channel": "word_of_mouth",
                "converted_at": date(2024, 2, 20),
            },
            "L2": {"channel": "cold_call", "converted_at": None},
        },
    ),
    "proposals": (
        TableKind.PROPOSALS,
        """\
        proposal_id,deal_id,owner,sent_at,amount,status
        P1,K1,Ann Lee,2024-03-10,1234.5,won
        P2,K2,Bo Chen,2024-03-11,50,lost
        P3,,Bo Chen,2024-03-12,75.25,open
        """,
        "proposal_id",
        {
            "P1": {
                "deal_id": "K1", "owner": "Ann Lee", "sent_at": date(2024, 3, 10),
                "amount": 1234.5, "status": "won",
            },
            "P2": {"status": "lost", "amount": 50.0},
            "P3": {"status": "open", "deal_id": None, "amount": 75.25},
        },
    ),
    "content": (
        TableKind.CONTENT,
        """\
        date,owner,kind,deal_id,title,views,likes
        2024-03-04,Ann Lee,deck_shared,K1,Deck,3,0
        2024-03-05,Ann Lee,article_shared,,Article,100,7
        2024-03-06,Bo Chen,own_post,,Post,,
        """,
        "kind",
        {
            "deck_shared": {
                "date": date(2024, 3, 4), "owner": "Ann Lee", "deal_id": "K1", "title": "Deck",
                "views": 3, "likes": 0,
            },
            "article_shared": {"deal_id": None, "views": 100, "likes": 7},
            "own_post": {"owner": "Bo Chen", "views": 0, "likes": 0},
        },
    ),
    "compensation-monthly": (
        TableKind.COMPENSATION,
        """\
        owner,month,package
        Ann Lee,2024-03,6500.5
        Bo Chen,2024-03,5000
        """,
        "owner",
        {
            "Ann Lee": {"month": date(2024, 3, 1), "package": 6500.5},
            "Bo Chen": {"month": date(2024, 3, 1), "package": 5000.0},
        },
    ),
    "compensation-annual": (
        TableKind.COMPENSATION,
        """\
        owner,annual_package
        Ann Lee,78000
        """,
        "owner",
        {"Ann Lee": {"annual_package": 78000.0, "month": None}},
    ),
    "channel_costs": (
        TableKind.CHANNEL_COSTS,
        """\
        channel,month,spend
        linkedin,2024-03,1500
        event,2024-04,320.5
        """,
        "channel",
        {
            "linkedin": {"channel_raw": "linkedin", "month": date(2024, 3, 1), "spend": 1500.0},
            "event": {"month": date(2024, 4, 1), "spend": 320.5},
        },
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(CASES))
def test_canonical_file(load, text, case):
    kind, source, key, expected = CASES[case]
    data = text(source)
    loaded = load(data, f"{case}.csv")
    report = loaded.report
    assert report.table == kind
    header = data.decode().splitlines()[0].split(",")
    assert report.mapping == {name: name for name in header}
    assert report.rows_rejected == 0
    rows = loaded.by(key)
    assert set(rows) == set(expected)
    for row_key, values in expected.items():
        for column, value in values.items():
            assert rows[row_key][column] == value, (row_key, column)


@pytest.mark.parametrize("case", sorted(CASES))
def test_canonical_file_with_forced_kind(load, text, case):
    kind, source, _, expected = CASES[case]
    loaded = load(text(source), f"{case}-forced.csv", kind=kind)
    assert loaded.report.table == kind
    assert loaded.table.num_rows == len(expected)
