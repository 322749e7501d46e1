"""Zoho CRM: module exports and Zoho Analytics tables.

CRM exports name the record id `Record Id` and write the current module
labels (`Deal Name`, `Deal Owner`, `Closing Date`); Zoho Analytics writes
the older module names and upper-case id columns (`Potential Name`,
`Potential Owner`, `LEADID`, `CONTACTID`, `QUOTEID`, `CAMPAIGNID`), as in
../shared/real/zoho-sample, whose Potentials table has no id of its own and
points at its lead through `LEADID`. Values: the default Lead Source, Quote
Stage and Campaign Type picklists.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("Record Id",),
        "deal_name": ("Deal Name", "Potential Name"),
        "owner": ("Deal Owner", "Potential Owner"),
        "stage": ("Stage",),
        "amount": ("Amount",),
        "created_at": ("Created Time",),
        "closed_at": ("Closing Date",),
        "channel": ("Lead Source",),
        "lead_id": ("LEADID",),
    },
    TableKind.LEADS: {
        "lead_id": ("Record Id", "LEADID", "CONTACTID"),
        "owner": ("Lead Owner", "Contact Owner"),
        "created_at": ("Created Time",),
        "channel": ("Lead Source",),
        "lead_status": ("Lead Status",),
        "is_converted": ("CONVERTED",),
    },
    TableKind.PROPOSALS: {
        "proposal_id": ("QUOTEID", "Record Id"),
        "owner": ("Quote Owner",),
        "sent_at": ("Created Time",),
        "status": ("Quote Stage",),
        # Grand Total is the quote's price after discount (tax and adjustment
        # included); Sub Total is the line items before discount, which
        # overstates every discounted quote. No column is after discount and
        # before tax, so Grand Total is the closer to what the deal is worth.
        "amount": ("Grand Total",),
    },
    TableKind.CHANNEL_COSTS: {
        "channel": ("Type",),
        "month": ("Start Date",),
        "spend": ("Actual Cost",),
    },
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("LEADID", "CONTACTID", "ACCOUNTID", "Campaign Id"),
    TableKind.LEADS: ("Account Id",),
}

_SIGNATURES: dict[TableKind, tuple[str, ...]] = {
    TableKind.CHANNEL_COSTS: ("CAMPAIGNID", "Campaign Name", "End Date", "Budgeted Cost"),
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    # Lead Source ("Cold Call", "Partner", "Trade Show", "Advertisement" are plain words).
    "referral": ("Employee Referral", "External Referral", "Partners", "Referral Program"),
    "event": ("Internal Seminar",),
    "website_organic": ("Web Download",),
    # Campaign Type.
    "cold_call": ("Telemarketing",),
    "website_paid": ("Banner Ads",),
    "other": ("Others",),
}

_STATUSES: dict[str, tuple[str, ...]] = {
    # Quote Stage: a confirmed or delivered quote was accepted (docs/tables.md, "Statuses").
    "won": ("Confirmed", "Delivered"),
    "open": ("On Hold", "Negotiation"),
}

DIALECT = Dialect(
    name="Zoho CRM",
    headers=_HEADERS,
    links=_LINKS,
    signatures=_SIGNATURES,
    statuses=_STATUSES,
    channels=_CHANNELS,
)
