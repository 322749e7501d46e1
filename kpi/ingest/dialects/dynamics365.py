"""Microsoft Dynamics 365 Sales "Export to Excel" of opportunities and leads.

The export starts with hidden columns: `(Do Not Modify) Opportunity` (or
`(Do Not Modify) Lead`) holds the record's GUID, our id; `(Do Not Modify) Row
Checksum` and `(Do Not Modify) Modified On` serve Dynamics' re-import only
and are not read. Then the view's columns: `Topic`, `Est. Revenue`, `Actual
Revenue`, `Status` (Open / Won / Lost), `Status Reason` (In Progress, On
Hold, Won, Canceled, Out-Sold), `Owner`, `Created On`, `Actual Close Date`;
`Originating Lead` names the lead an opportunity came from (its topic, not an
id: a link, not our lead_id). Lead sources: the default leadsourcecode
option set, all plain words.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("(Do Not Modify) Opportunity",),
        "deal_name": ("Topic",),
        "owner": ("Owner",),
        "status": ("Status",),
        "stage": ("Pipeline Phase", "Status Reason"),
        # The estimate is always set; the actual revenue only once won.
        "amount": ("Est. Revenue", "Actual Revenue"),
        "created_at": ("Created On",),
        "closed_at": ("Actual Close Date",),
        "channel": ("Lead Source",),
        "currency": ("Currency",),
    },
    TableKind.LEADS: {
        "lead_id": ("(Do Not Modify) Lead",),
        "owner": ("Owner",),
        "created_at": ("Created On",),
        "channel": ("Lead Source",),
        "lead_status": ("Status",),
    },
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("Originating Lead",),
}

_STATUSES: dict[str, tuple[str, ...]] = {
    "lost": ("Out-Sold",),
    "open": ("In Progress", "On Hold"),
}

DIALECT = Dialect(
    name="Dynamics 365 Sales",
    headers=_HEADERS,
    links=_LINKS,
    statuses=_STATUSES,
)
