"""SuiteCRM / SugarCRM list-view exports (English labels).

Opportunities write `Opportunity Amount` (in the deal's currency) and
`Amount` (SugarCRM's amount_usdollar: the same amount in the system currency,
its symbol in the value), `Sales Stage`, `Assigned to`, `Date Created` and
`Expected Close Date`, the only close date SuiteCRM keeps. `Amount` is the
canonical field name, so it is the amount whenever it is there (one currency
for every row); `Opportunity Amount` serves when a view leaves it out. Leads write
`Converted` 0/1 and, for a converted lead, the opportunity it became
(`Opportunity ID`, `Opportunity Name`, `Opportunity Amount`): links, which
never make a leads export a deals one. As in ../shared/real/suitecrm8.
Values: the default lead_source_dom.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("ID",),
        "deal_name": ("Opportunity Name",),
        "owner": ("Assigned to",),
        "stage": ("Sales Stage",),
        "amount": ("Opportunity Amount",),
        "created_at": ("Date Created",),
        "closed_at": ("Expected Close Date",),
        "channel": ("Lead Source",),
        "currency": ("Currency",),
    },
    TableKind.LEADS: {
        "lead_id": ("ID",),
        "owner": ("Assigned to",),
        "created_at": ("Date Created",),
        "channel": ("Lead Source",),
        "lead_status": ("Status",),
        "is_converted": ("Converted",),
    },
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("campaign_id",),
    TableKind.LEADS: (
        "Opportunity ID", "Opportunity Name", "Opportunity Amount", "Contact ID", "Account ID",
        "Campaign ID", "Reports To ID",
    ),
}

# Lead fields no field of ours is read from, which only a leads export carries.
_SIGNATURES: dict[TableKind, tuple[str, ...]] = {
    TableKind.LEADS: ("Status Description", "Lead Source Description", "Referred By"),
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    # lead_source_dom ("Cold Call", "Partner", "Conference", "Trade Show", "Email",
    # "Word of mouth", "Other" are plain words; "Existing Customer", "Self Generated",
    # "Public Relations", "Direct Mail" and "Campaign" name no channel of ours).
    "referral": ("Employee",),
    "website_organic": ("Web Site",),
}

DIALECT = Dialect(
    name="SuiteCRM / SugarCRM",
    headers=_HEADERS,
    links=_LINKS,
    signatures=_SIGNATURES,
    channels=_CHANNELS,
)
