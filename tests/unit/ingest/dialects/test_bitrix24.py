"""Bitrix24 REST dumps (kpi/ingest/dialects/bitrix24.py): crm.deal.list and
crm.lead.list field codes, ISO date-times with a `+03:00` offset, Y/N flags,
owners as user ids; and ../shared/real/bitrix24/deals.csv."""

from collections import Counter
from datetime import date

from kpi.schema import TableKind

DEALS = """\
ID,TITLE,TYPE_ID,STAGE_ID,PROBABILITY,CURRENCY_ID,OPPORTUNITY,IS_MANUAL_OPPORTUNITY,TAX_VALUE,LEAD_ID,COMPANY_ID,CONTACT_ID,QUOTE_ID,BEGINDATE,CLOSEDATE,ASSIGNED_BY_ID,CREATED_BY_ID,MODIFY_BY_ID,DATE_CREATE,DATE_MODIFY,OPENED,CLOSED,CATEGORY_ID,STAGE_SEMANTIC_ID,SOURCE_ID
1,Сделка #1,SALE,WON,,RUB,100000.00,Y,0.00,5,0,,,2021-02-03T03:00:00+03:00,2021-02-10T03:00:00+03:00,1,1,1,2021-02-03T15:58:12+03:00,2021-02-10T10:00:00+03:00,Y,Y,0,S,RECOMMENDATION
3,Портативные зарядные устройства,SALE,EXECUTING,,RUB,10000.00,Y,0.00,,0,7,,2021-02-04T03:00:00+03:00,2021-02-11T03:00:00+03:00,17,1,1,2021-02-04T13:10:22+03:00,2021-02-04T13:10:22+03:00,Y,N,0,P,CALL
5,Игрушки,COMPLEX,C1:LOSE,,RUB,90000.00,Y,0.00,,0,,,2021-02-04T03:00:00+03:00,2021-02-11T03:00:00+03:00,17,1,1,2021-02-04T13:18:10+03:00,2021-02-11T09:00:00+03:00,Y,Y,1,F,ADVERTISING
7,Мебель,SALE,C1:WON,,USD,2500.00,Y,0.00,,0,,,2021-03-01T03:00:00+03:00,2021-03-15T03:00:00+03:00,1,1,1,2021-03-01T09:00:00+03:00,2021-03-15T12:00:00+03:00,Y,Y,1,S,WEBFORM
9,Ремонт,SALE,APOLOGY,,RUB,5000.00,Y,0.00,,0,,,2021-03-02T03:00:00+03:00,2021-03-20T03:00:00+03:00,1,1,1,2021-03-02T09:00:00+03:00,2021-03-20T12:00:00+03:00,Y,Y,0,F,TRADE_SHOW
"""  # noqa: E501

LEADS = """\
ID,TITLE,NAME,LAST_NAME,SOURCE_ID,STATUS_ID,STATUS_SEMANTIC_ID,ASSIGNED_BY_ID,DATE_CREATE,DATE_CLOSED
5,Заявка с сайта,Иван,Петров,WEB,CONVERTED,S,1,2021-01-20T10:00:00+03:00,2021-02-03T15:58:12+03:00
6,Звонок,Анна,Смирнова,CALL,IN_PROCESS,P,17,2021-01-21T11:00:00+03:00,
"""


def test_deal_list_dump(load, text):
    loaded = load(text(DEALS), "deals.csv")
    report = loaded.report
    assert report.table == TableKind.DEALS
    assert report.dialect == "Bitrix24"
    assert {k: v for k, v in report.mapping.items() if v != "is_closed"} == {
        "ID": "deal_id", "TITLE": "deal_name", "STAGE_ID": "stage", "CURRENCY_ID": "currency",
        "OPPORTUNITY": "amount", "LEAD_ID": "lead_id", "CLOSEDATE": "closed_at",
        "ASSIGNED_BY_ID": "owner", "DATE_CREATE": "created_at", "SOURCE_ID": "channel",
    }
    assert report.mapping["CLOSED"] == "is_closed"
    got = {r["deal_id"]: (r["status"], r["owner"], r["channel"], r["closed_at"])
           for r in loaded.rows}
    assert got == {
        "1": ("won", "1", "referral", date(2021, 2, 10)),
        "3": ("open", "17", "cold_call", None),
        # pipeline 1's codes carry its prefix; APOLOGY is the failure-analysis stage
        "5": ("lost", "17", "website_paid", date(2021, 2, 11)),
        "7": ("won", "1", "other", date(2021, 3, 15)),
        "9": ("lost", "1", "event", date(2021, 3, 20)),
    }


def test_lead_list_dump(load, text):
    loaded = load(text(LEADS), "leads.csv")
    assert loaded.report.table == TableKind.LEADS
    assert loaded.report.mapping["STATUS_ID"] == "lead_status"
    got = {r["lead_id"]: (r["channel"], r["converted_at"]) for r in loaded.rows}
    assert got == {"5": ("website_organic", date(2021, 1, 20)), "6": ("cold_call", None)}


def test_real_deal_list(load, real, rows_of):
    data = real("bitrix24/deals.csv")
    loaded = load(data, "deals.csv")
    source = rows_of(data)
    assert loaded.report.table == TableKind.DEALS
    assert loaded.report.rows_accepted == len(source)
    # NEW, EXECUTING, FINAL_INVOICE: all open, all in roubles
    assert Counter(loaded.column("status")) == {"open": len(source)}
    assert set(loaded.column("currency")) == {r["CURRENCY_ID"] for r in source}
