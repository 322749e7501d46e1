"""noCRM.io leads: noCRM's deals are called leads (a title, an amount, a step).

A lead dump through noCRM's API v2 (`GET /api/v2/leads`) writes the lead's
fields under their API names: `id`, `title`, `status`, `step`, `amount`,
`currency`, `created_at`, `closed_at` and `user_id` (the owner). The statuses
are todo, standby, won, lost and cancelled. No public copy of the web app's
spreadsheet export was found, so its column labels are not declared here.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("id",),
        "deal_name": ("title",),
        "owner": ("user_id",),
        "stage": ("step",),
        "status": ("status",),
        "amount": ("amount",),
        "currency": ("currency",),
        "created_at": ("created_at",),
        "closed_at": ("closed_at",),
    },
}

_STATUSES: dict[str, tuple[str, ...]] = {
    "open": ("todo", "standby"),
}

DIALECT = Dialect(name="noCRM.io", headers=_HEADERS, statuses=_STATUSES)
