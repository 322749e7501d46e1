"""docs/examples/fivetran_hubspot_views.sql on a Fivetran-shaped HubSpot schema, in a real PostgreSQL.

A few hand-written HubSpot rows (tables and columns as Fivetran's connector
writes them), the example's views over them, then `report --source` on the
views: the figures are the ones worked out by hand below, and the views have
the columns and types `kpi load` creates.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import psycopg
import pytest

from kpi.__main__ import main
from kpi.ingest.dialects.hubspot import DIALECT as HUBSPOT
from kpi.ingest.fold import fold
from kpi.ingest.vocabulary import CHANNEL_INDEX
from kpi.warehouse.load import load_tables
from kpi.workspace import Workspace

_d = date.fromisoformat
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "fivetran_hubspot_views.sql"

# Fivetran's HubSpot tables, only the columns the example reads (and a few it must ignore).
FIVETRAN = """
DROP SCHEMA IF EXISTS hubspot CASCADE;
DROP SCHEMA IF EXISTS kpi CASCADE;
CREATE SCHEMA hubspot;
CREATE TABLE hubspot.owner (owner_id bigint PRIMARY KEY, portal_id bigint, email text,
    first_name text, last_name text, type text, created_at timestamptz,
    updated_at timestamptz, _fivetran_synced timestamptz);
CREATE TABLE hubspot.deal_pipeline_stage (stage_id text PRIMARY KEY, pipeline_id text,
    label text, display_order bigint, probability double precision, closed_won boolean,
    active boolean, _fivetran_deleted boolean, _fivetran_synced timestamptz);
CREATE TABLE hubspot.deal (deal_id bigint PRIMARY KEY, portal_id bigint, owner_id bigint,
    deal_pipeline_id text, deal_pipeline_stage_id text, is_deleted boolean,
    property_dealname text, property_amount double precision,
    property_createdate timestamptz, property_closedate timestamptz,
    property_deal_currency_code text, property_hs_analytics_source text,
    _fivetran_synced timestamptz);
CREATE TABLE hubspot.deal_property_history (deal_id bigint, name text, value text,
    "timestamp" timestamptz, source text, source_id text, _fivetran_synced timestamptz);
CREATE TABLE hubspot.deal_contact (deal_id bigint, contact_id bigint, type_id bigint,
    category text);
CREATE TABLE hubspot.contact (id bigint PRIMARY KEY, property_email text,
    property_createdate timestamptz, property_hubspot_owner_id bigint,
    property_hs_analytics_source text, property_hs_lifecyclestage_customer_date timestamptz,
    _fivetran_deleted boolean, _fivetran_synced timestamptz);

INSERT INTO hubspot.owner (owner_id, email, first_name, last_name) VALUES
    (11, 'ana@example.com', 'Ana', 'Martin'),
    (12, 'bruno@example.com', NULL, NULL);
INSERT INTO hubspot.deal_pipeline_stage
    (stage_id, pipeline_id, label, probability, closed_won, _fivetran_deleted) VALUES
    ('appointmentscheduled', 'default', 'Appointment scheduled', 0.2, false, false),
    ('contractsent', 'default', 'Contract sent', 0.9, false, false),
    ('closedwon', 'default', 'Closed won', 1.0, true, false),
    ('closedlost', 'default', 'Closed lost', 0.0, false, false);
INSERT INTO hubspot.deal (deal_id, owner_id, deal_pipeline_stage_id, is_deleted,
    property_dealname, property_amount, property_createdate, property_closedate,
    property_deal_currency_code, property_hs_analytics_source) VALUES
    (101, 11, 'closedwon', false, 'Acme', 1000, '2025-03-01 09:00Z', '2025-03-21 15:00Z',
     'EUR', 'EMAIL_MARKETING'),
    (102, 11, 'closedwon', false, 'Beta', 3000.5, '2025-03-05 10:00Z', '2025-04-04 08:00Z',
     'EUR', 'REFERRALS'),
    (103, 12, 'closedwon', false, 'Gamma', 2000, '2025-02-01 12:00Z', '2025-04-12 12:00Z',
     NULL, 'ORGANIC_SEARCH'),
    (104, 12, 'closedlost', false, 'Delta', 500, '2025-03-10 12:00Z', '2025-03-30 12:00Z',
     'EUR', 'PAID_SOCIAL'),
    (105, 11, 'contractsent', false, 'Epsilon', 800, '2025-04-01 12:00Z', '2025-06-30 12:00Z',
     'EUR', NULL),
    (106, 11, 'closedwon', true, 'Deleted', 99999, '2025-03-01 12:00Z', '2025-03-02 12:00Z',
     'EUR', 'REFERRALS'),
    (107, NULL, 'closedlost', false, 'Zeta', 300, '2025-01-15 12:00Z', '2025-02-14 12:00Z',
     'EUR', 'AI_REFERRALS');
INSERT INTO hubspot.deal_property_history (deal_id, name, value, "timestamp") VALUES
    (101, 'dealstage', 'appointmentscheduled', '2025-03-01 09:00Z'),
    (101, 'dealstage', 'contractsent', '2025-03-15 10:00Z'),
    (101, 'dealstage', 'closedwon', '2025-03-21 15:00Z'),
    (105, 'dealstage', 'contractsent', '2025-04-20 10:00Z'),
    (105, 'dealstage', 'contractsent', '2025-05-02 10:00Z'),
    (105, 'amount', 'contractsent', '2025-04-02 10:00Z');
INSERT INTO hubspot.deal_contact (deal_id, contact_id, type_id, category) VALUES
    (101, 202, 3, 'HUBSPOT_DEFINED'), (101, 201, 3, 'HUBSPOT_DEFINED');
INSERT INTO hubspot.contact (id, property_createdate, property_hubspot_owner_id,
    property_hs_analytics_source, property_hs_lifecyclestage_customer_date,
    _fivetran_deleted) VALUES
    (201, '2025-01-10 12:00Z', 11, 'ORGANIC_SEARCH', '2025-02-01 12:00Z', false),
    (202, '2025-02-10 12:00Z', 12, 'PAID_SOCIAL', NULL, false),
    (203, '2025-02-11 12:00Z', 12, 'PAID_SOCIAL', NULL, true);
"""


@pytest.fixture(scope="module")
def views(postgres) -> str:
    """The cluster's URL once the Fivetran-shaped schema and the example's views exist."""
    with psycopg.connect(postgres, autocommit=True) as con:
        con.execute(FIVETRAN)
        con.execute(EXAMPLE.read_text(encoding="utf-8"))
    return postgres


def rows(url: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as con:
        return con.execute(sql).fetchall()


def test_report_on_the_views_gives_the_hand_computed_figures(views, capsys) -> None:
    code = main(["report", "--source", views, "--schema", "kpi",
                 "--from", "2025-01-01", "--to", "2025-06-30", "--min-closed", "1"])
    out, err = capsys.readouterr()
    assert code == 0, err
    report = json.loads(out)
    # Deal 106 is deleted in HubSpot. Won: 101, 102, 103; lost: 104 and 107 (no owner).
    # Cycles: 101 Mar 1 -> Mar 21 = 20 days, 102 Mar 5 -> Apr 4 = 30, 103 Feb 1 -> Apr 12 = 70.
    # 105 is open: its HubSpot close date (Jun 30) is an expected one, not a close.
    assert report["tables"]["deals"] == 6 and report["tables"]["leads"] == 2
    pipeline = report["pipeline"]
    assert (pipeline["won"], pipeline["lost"], pipeline["closed"]) == (3, 2, 5)
    assert pipeline["win_rate"] == pytest.approx(3 / 5)
    assert pipeline["won_revenue"] == pytest.approx(1000 + 3000.5 + 2000)
    assert pipeline["avg_cycle_days"] == pytest.approx((20 + 30 + 70) / 3)
    assert pipeline["median_cycle_days"] == 30
    assert (pipeline["open_deals"], pipeline["open_pipeline_value"]) == (1, 800)
    assert report["filters"]["currency"] == "EUR"  # 103 has no code: the company's


def test_the_views_read_owners_channels_stages_and_history(views) -> None:
    assert rows(views, "SELECT deal_id, owner, channel, channel_raw, status, stage, "
                "closed_at, proposal_sent_at, lead_id FROM kpi.deals ORDER BY deal_id") == [
        ("101", "Ana Martin", "cold_email", "EMAIL_MARKETING", "won", "Closed won",
         _d("2025-03-21"), _d("2025-03-15"), "201"),
        ("102", "Ana Martin", "referral", "REFERRALS", "won", "Closed won",
         _d("2025-04-04"), None, None),
        ("103", "bruno@example.com", "website_organic", "ORGANIC_SEARCH", "won", "Closed won",
         _d("2025-04-12"), None, None),
        ("104", "bruno@example.com", "website_paid", "PAID_SOCIAL", "lost", "Closed lost",
         _d("2025-03-30"), None, None),
        ("105", "Ana Martin", "unknown", None, "open", "Contract sent",
         None, _d("2025-04-20"), None),
        ("107", "Unassigned", "other", "AI_REFERRALS", "lost", "Closed lost",
         _d("2025-02-14"), None, None),
    ]
    assert rows(views, "SELECT lead_id, owner, channel, converted_at FROM kpi.leads "
                "ORDER BY lead_id") == [
        ("201", "Ana Martin", "website_organic", _d("2025-02-01")),
        ("202", "bruno@example.com", "website_paid", None)]


def test_the_views_have_the_columns_and_types_kpi_load_creates(views) -> None:
    load_tables(Workspace(one_shot=True).con, views, [], set(), set(), schema="kpi_load_columns")
    columns = ("SELECT table_name, ordinal_position, column_name, data_type "
               "FROM information_schema.columns WHERE table_schema = '{}' "
               "AND table_name NOT LIKE 'hubspot%' ORDER BY 1, 2")
    expected = rows(views, columns.format("kpi_load_columns"))
    assert len(expected) > 40 and rows(views, columns.format("kpi")) == expected


def test_the_channel_codes_agree_with_the_hubspot_dialect(views) -> None:
    """The example's code -> channel list says what the importer says of the same codes."""
    mapping = rows(views, "SELECT raw, channel FROM kpi.hubspot_channel")
    for raw, channel in mapping:
        assert CHANNEL_INDEX[fold(raw)] == channel, raw
    # Every internal code the dialect knows (the labels are the UI's words, not codes).
    codes = {raw for raws in HUBSPOT.channels.values() for raw in raws if raw.isupper()}
    assert len(codes) == 9 and codes == {raw for raw, _ in mapping}
