"""noCRM.io leads dumped through its API v2 (kpi/ingest/dialects/nocrm.py):
noCRM's "leads" are deals (title, amount, step, status todo / standby / won /
lost / cancelled), with ISO 8601 times in UTC."""

from datetime import date

from kpi.messages import render_all
from kpi.schema import TableKind

LEADS = """\
id,title,pipeline,step,status,amount,probability,currency,created_at,closed_at,user_id
8113,Syl Loretta Inc.,Default,Proposal sent,won,12000.0,100,EUR,2024-02-28T17:37:33.000Z,2024-03-20T10:00:00.000Z,2981
8114,Acme Corp,Default,Contacted,lost,3000.0,0,EUR,2024-03-01T09:00:00.000Z,2024-03-25T09:30:00.000Z,2981
8115,Globex,Default,Negotiation,standby,5000.0,50,EUR,2024-03-02T09:00:00.000Z,,2982
8116,Initech,Default,Incoming,todo,800.0,10,EUR,2024-03-03T09:00:00.000Z,,2982
8117,Umbrella,Default,Contacted,cancelled,400.0,0,EUR,2024-03-04T09:00:00.000Z,2024-03-05T09:00:00.000Z,2981
"""


def test_leads_dump_is_deals(load, text):
    loaded = load(text(LEADS), "nocrm-leads.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "noCRM.io"
    assert report.mapping == {
        "id": "deal_id", "title": "deal_name", "step": "stage", "status": "status",
        "amount": "amount", "currency": "currency", "created_at": "created_at",
        "closed_at": "closed_at", "user_id": "owner",
    }
    got = {r["deal_id"]: (r["status"], r["stage"], r["owner"], r["closed_at"])
           for r in loaded.rows}
    assert got == {
        "8113": ("won", "Proposal sent", "2981", date(2024, 3, 20)),
        "8114": ("lost", "Contacted", "2981", date(2024, 3, 25)),
        "8115": ("open", "Negotiation", "2982", None),
        "8116": ("open", "Incoming", "2982", None),
        "8117": ("lost", "Contacted", "2981", date(2024, 3, 5)),
    }
    # todo and standby are known open statuses: never listed as unknown.
    notes = " ".join(render_all(report.notes))
    assert "todo" not in notes and "standby" not in notes, notes
