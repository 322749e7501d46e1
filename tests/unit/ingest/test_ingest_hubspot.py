"""HubSpot deals and contacts exports (docs/tables.md "Recognising real exports").

The same `Record ID` header is a deal in a deals export and a contact in a
contacts export: the table is recognised from the whole set of headers.
"""

from datetime import date

import pytest

from kpi.schema import TableKind

PROPOSAL_HEADER = 'Date entered "Proposal Sent (Sales Pipeline)"'

DEALS = '''\
Record ID,Deal Name,Deal owner,Deal Stage,Amount,Create Date,Close Date,Original Source,Currency,"Date entered ""Proposal Sent (Sales Pipeline)"""
18234567001,Acme renewal,Alice Martin,Closed Won,12345.5,2024-03-25 14:02,2024-04-30 09:15,ORGANIC_SEARCH,EUR,2024-04-02 10:00
18234567002,Globex rollout,Bob Stone,closedlost,5000,2024-01-10 08:00,2024-02-01 17:30,PAID_SEARCH,EUR,2024-01-20 16:45
18234567003,Initech pilot,,Appointment scheduled,,2024-05-02 11:11,,SOCIAL_MEDIA,EUR,
'''  # noqa: E501

CONTACTS = """\
Record ID,First Name,Last Name,Email,Contact owner,Create Date,Original Source,Lifecycle Stage,Became a Customer Date
501,Jeanne,Dupont,jeanne@example.fr,Alice Martin,2024-02-01 09:00,ORGANIC_SEARCH,customer,2024-03-15 10:00
502,Paul,Durand,paul@example.fr,,2024-02-03 10:00,SOCIAL_MEDIA,lead,
503,Marie,Curie,marie@example.fr,Bob Stone,2024-02-05 11:30,REFERRALS,customer,
"""


@pytest.fixture(scope="module")
def deals(load, text):
    return load(text(DEALS), "hubspot-deals.csv")


@pytest.fixture(scope="module")
def contacts(load, text):
    return load(text(CONTACTS), "hubspot-contacts.csv")


def test_deals_export_is_recognised_as_deals(deals):
    report = deals.report
    assert report.table == TableKind.DEALS
    assert report.delimiter == ","
    assert report.decimal_mark == "."
    assert report.date_order == "YMD"
    assert report.header_row == 1
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 3, 0)


def test_deals_headers_are_mapped(deals):
    mapping = deals.report.mapping
    assert mapping["Record ID"] == "deal_id"
    assert mapping["Deal Name"] == "deal_name"
    assert mapping["Deal owner"] == "owner"
    assert mapping["Deal Stage"] == "stage"
    assert mapping["Amount"] == "amount"
    assert mapping["Create Date"] == "created_at"
    assert mapping["Close Date"] == "closed_at"
    assert mapping["Original Source"] == "channel"
    assert mapping["Currency"] == "currency"
    assert mapping[PROPOSAL_HEADER] == "proposal_sent_at"


def test_won_deal_values_are_typed(deals):
    row = deals.by("deal_id")["18234567001"]
    assert row["deal_name"] == "Acme renewal"
    assert row["owner"] == "Alice Martin"
    assert row["stage"] == "Closed Won"
    assert row["status"] == "won"
    assert row["amount"] == 12345.5
    assert row["created_at"] == date(2024, 3, 25)
    assert row["closed_at"] == date(2024, 4, 30)
    assert row["proposal_sent_at"] == date(2024, 4, 2)
    assert row["channel"] == "website_organic"
    assert row["channel_raw"] == "ORGANIC_SEARCH"
    assert row["currency"] == "EUR"
    assert row["source_file"] == "hubspot-deals.csv"


def test_closedlost_stage_code_is_lost(deals):
    row = deals.by("deal_id")["18234567002"]
    assert row["status"] == "lost"
    assert row["stage"] == "closedlost"
    assert row["amount"] == 5000.0
    assert row["created_at"] == date(2024, 1, 10)
    assert row["closed_at"] == date(2024, 2, 1)
    assert row["proposal_sent_at"] == date(2024, 1, 20)
    assert row["channel"] == "website_paid"


def test_open_deal_with_empty_owner_and_amount(deals):
    row = deals.by("deal_id")["18234567003"]
    assert row["status"] == "open"
    assert row["stage"] == "Appointment scheduled"
    assert row["owner"] == "Unassigned"
    assert row["amount"] == 0.0
    assert row["closed_at"] is None
    assert row["proposal_sent_at"] is None
    assert row["channel"] == "other_social"
    assert row["channel_raw"] == "SOCIAL_MEDIA"


def test_empty_amount_is_counted_in_notes(deals):
    assert any(note.code == "msg.note.empty_amounts" and note.params["count"] > 0
               for note in deals.report.notes), deals.report.notes


def test_contacts_export_is_recognised_as_leads(contacts):
    report = contacts.report
    assert report.table == TableKind.LEADS
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (3, 3, 0)
    mapping = report.mapping
    assert mapping["Record ID"] == "lead_id"
    assert mapping["Contact owner"] == "owner"
    assert mapping["Create Date"] == "created_at"
    assert mapping["Original Source"] == "channel"
    assert mapping["Became a Customer Date"] == "converted_at"
    assert "First Name" not in mapping
    assert "Email" not in mapping


def test_customer_with_conversion_date(contacts):
    row = contacts.by("lead_id")["501"]
    assert row["owner"] == "Alice Martin"
    assert row["created_at"] == date(2024, 2, 1)
    assert row["converted_at"] == date(2024, 3, 15)
    assert row["channel"] == "website_organic"
    assert row["channel_raw"] == "ORGANIC_SEARCH"
    assert row["source_file"] == "hubspot-contacts.csv"


def test_non_customer_is_not_converted(contacts):
    row = contacts.by("lead_id")["502"]
    assert row["converted_at"] is None
    assert row["owner"] == "Unassigned"
    assert row["channel"] == "other_social"


def test_customer_without_date_converts_on_created_at(contacts):
    row = contacts.by("lead_id")["503"]
    assert row["created_at"] == date(2024, 2, 5)
    assert row["converted_at"] == date(2024, 2, 5)
    assert row["channel"] == "referral"
    assert row["channel_raw"] == "REFERRALS"


def test_contacts_without_conversion_column(load, text):
    data = text(
        """\
        Record ID,Contact owner,Create Date,Original Source,Lifecycle Stage
        601,Alice Martin,2024-03-01 08:30,DIRECT_TRAFFIC,customer
        602,Alice Martin,2024-03-02 09:45,EMAIL_MARKETING,marketingqualifiedlead
        """
    )
    loaded = load(data, "contacts-no-date.csv")
    assert loaded.report.table == TableKind.LEADS
    rows = loaded.by("lead_id")
    assert rows["601"]["converted_at"] == date(2024, 3, 1)
    assert rows["601"]["channel"] == "website_organic"
    assert rows["602"]["converted_at"] is None
    assert rows["602"]["channel"] == "cold_email"


def test_deal_id_header_alias(load, text):
    data = text(
        """\
        Deal ID,Deal Name,Deal owner,Deal Stage,Amount in company currency,Create Date,Close Date,Original Source Type
        77,Small,Alice Martin,closedwon,99.9,2024-06-01,2024-06-20,Referral
        """  # noqa: E501
    )
    loaded = load(data, "hubspot-deals-2.csv")
    assert loaded.report.table == TableKind.DEALS
    row = loaded.by("deal_id")["77"]
    assert row["status"] == "won"
    assert row["amount"] == 99.9
    assert row["closed_at"] == date(2024, 6, 20)
    assert row["channel"] == "referral"
