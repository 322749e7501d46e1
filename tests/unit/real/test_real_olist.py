"""Olist's public B2B funnel (olist): marketing-qualified leads and closed deals.

The leads carry `origin` (the channel) and `first_contact_date` as dd-mm-yyyy.
The closed deals are won deals only, with no creation date of their own: it
is the lead's first contact, so alone they are refused with a clear reason,
and with the leads file they load as won deals.
"""

from __future__ import annotations

from collections import Counter

LEADS = "olist/olist_marketing_qualified_leads_dataset.csv"
CLOSED = "olist/olist_closed_deals_dataset.csv"

# Origins whose channel docs/tables.md, "Channels" names (ORGANIC_SEARCH, DIRECT_TRAFFIC,
# Referral); an empty origin and the canonical id "unknown" are unknown.
SPEC_CHANNEL = {"organic_search": "website_organic", "direct_traffic": "website_organic",
                "referral": "referral", "": "unknown", "unknown": "unknown"}


def test_leads_are_leads(real, raw, cli, same):
    path = real(LEADS)
    rows = raw.read(path).dicts()
    loadable = {r["mql_id"] for r in rows if raw.dmy_day(r["first_contact_date"])}
    same(cli.imported(path), {"table": "leads", "rows_read": len(rows),
                              "rows_accepted": len(loadable),
                              "rows_rejected": len(rows) - len(loadable)},
         "import of the marketing-qualified leads")


def test_origin_is_the_channel(real, raw, cli, same):
    path = real(LEADS)
    origins = Counter(r["origin"].strip() for r in raw.read(path).dicts())
    expected: Counter[str] = Counter()
    for origin, n in origins.items():
        if origin in SPEC_CHANNEL:
            expected[SPEC_CHANNEL[origin]] += n
    leads = {c["channel"]: c["leads"] or 0 for c in cli.report(path)["channels"]}
    same({**{c: leads.get(c) for c in expected}, "all": sum(leads.values())},
         {**expected, "all": origins.total()}, "leads per channel (origin)")


def test_closed_deals_alone_get_a_clear_reason(real, raw, cli):
    path = real(CLOSED)
    assert not {"first_contact_date", "created_at"} & set(raw.read(path).header)
    refusal = cli.refusal(path)
    assert refusal is not None, "closed deals alone have no creation date: expected a refusal"
    assert "creat" in refusal.lower() or "first_contact" in refusal.lower(), (
        f"the refusal should name the missing creation date: {refusal}")


def test_closed_deals_with_their_leads_are_won_deals(real, raw, cli, same):
    leads, closed = real(LEADS), real(CLOSED)
    first_contact = {r["mql_id"]: r["first_contact_date"] for r in raw.read(leads).dicts()}
    deals = raw.read(closed).dicts()
    linked = [r for r in deals if r["mql_id"] in first_contact and raw.dmy_day(r["won_date"])]
    report = cli.report(leads, closed)
    same({"deals": report["tables"]["deals"], "leads": report["tables"]["leads"],
          "won": report["pipeline"]["won"], "lost": report["pipeline"]["lost"]},
         {"deals": len(linked), "leads": len(first_contact), "won": len(linked), "lost": 0},
         "leads + closed deals")
