"""Bitrix24 REST dumps: `crm.deal.list` and `crm.lead.list` field codes.

As in ../shared/real/bitrix24/deals.csv: `ID`, `TITLE`, `STAGE_ID`,
`OPPORTUNITY`, `CURRENCY_ID`, `ASSIGNED_BY_ID` (a user id), `DATE_CREATE` /
`CLOSEDATE` with a `+03:00` offset, `SOURCE_ID`, `CLOSED` Y/N, and the
`LEAD_ID` / `CONTACT_ID` / `COMPANY_ID` links. Stage codes of the default
pipeline: NEW, PREPARATION, PREPAYMENT_INVOICE, EXECUTING, FINAL_INVOICE
(open), WON, LOSE and APOLOGY ("analyse the failure", a failed stage); other
pipelines prefix them with their category (`C1:WON`). Lead statuses: NEW,
IN_PROCESS, PROCESSED, JUNK, CONVERTED. A `user.get` list (ID, NAME,
LAST_NAME, LAST_LOGIN…) names the users those ids point at.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("ID",),
        "deal_name": ("TITLE",),
        "owner": ("ASSIGNED_BY_ID",),
        "stage": ("STAGE_ID",),
        "amount": ("OPPORTUNITY",),
        "currency": ("CURRENCY_ID",),
        "created_at": ("DATE_CREATE",),
        "closed_at": ("CLOSEDATE",),
        "channel": ("SOURCE_ID",),
        "lead_id": ("LEAD_ID", "CONTACT_ID"),
        "is_closed": ("CLOSED",),
    },
    TableKind.LEADS: {
        "lead_id": ("ID",),
        "owner": ("ASSIGNED_BY_ID",),
        "created_at": ("DATE_CREATE",),
        "channel": ("SOURCE_ID",),
        "lead_status": ("STATUS_ID",),
    },
    # `user.get`: ASSIGNED_BY_ID holds these ids.
    TableKind.USERS: {
        "user_id": ("ID",),
        "first_name": ("NAME",),
        "last_name": ("LAST_NAME",),
    },
}

# user.get fields that only a user list carries.
_SIGNATURES: dict[TableKind, tuple[str, ...]] = {
    TableKind.USERS: ("LAST_LOGIN", "DATE_REGISTER", "UF_DEPARTMENT", "WORK_POSITION",
                      "SECOND_NAME", "PERSONAL_GENDER", "IS_ONLINE"),
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("LEAD_ID", "CONTACT_ID", "COMPANY_ID", "QUOTE_ID"),
    TableKind.LEADS: ("CONTACT_ID", "COMPANY_ID"),
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    # SOURCE_ID codes (CALL, EMAIL, WEB, PARTNER, TRADE_SHOW, OTHER fold to plain
    # words; WEBFORM, CALLBACK, RC_GENERATOR and STORE name no channel of ours).
    "website_paid": ("ADVERTISING",),
    "referral": ("RECOMMENDATION",),
}

_STATUSES: dict[str, tuple[str, ...]] = {
    "won": ("WON",),
    "lost": ("LOSE", "APOLOGY"),
    "open": ("NEW", "PREPARATION", "PREPAYMENT_INVOICE", "EXECUTING", "FINAL_INVOICE"),
}

DIALECT = Dialect(
    name="Bitrix24",
    headers=_HEADERS,
    links=_LINKS,
    signatures=_SIGNATURES,
    statuses=_STATUSES,
    channels=_CHANNELS,
    true_words=("y",),
    false_words=("n",),
)
