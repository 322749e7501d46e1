"""Public CRM datasets written in snake_case or by analysts' notebooks.

- Maven Analytics "CRM Sales Opportunities" (sales_pipeline.csv):
  `opportunity_id, sales_agent, deal_stage, engage_date, close_date,
  close_value`.
- Olist marketing funnel (../shared/real/olist): the qualified leads
  (`mql_id, first_contact_date, landing_page_id, origin`) and the closed
  deals (`mql_id, seller_id, sdr_id, sr_id, won_date…`): only won deals, with
  no amount and no creation date (those are the lead's); `mql_id` links each
  deal to its lead, `seller_id` is the account the deal created (one per
  deal), `sr_id` the rep who closed it.
- X Education leads (../shared/real/x-education): `Prospect ID, Lead
  Number, Lead Origin, Lead Source, Converted` 0/1, with no date column.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("opportunity_id", "seller_id"),
        "owner": ("sales_agent", "sr_id", "sdr_id"),
        "stage": ("deal_stage",),
        "amount": ("close_value",),
        "created_at": ("engage_date",),
        "closed_at": ("close_date",),
        "won_at": ("won_date",),
        "lead_id": ("mql_id",),
    },
    TableKind.LEADS: {
        "lead_id": ("mql_id", "Prospect ID", "Lead Number"),
        "created_at": ("first_contact_date",),
        # X Education's "Lead Origin" is how the lead was entered (API, landing
        # page, import), not where it came from: not a channel.
        "channel": ("origin", "Lead Source"),
        "is_converted": ("Converted",),
    },
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("mql_id",),
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    # Olist origins (organic_search, paid_search, social, direct_traffic, email,
    # referral, other, unknown fold to plain words; "other_publicities" is unclear).
    "website_paid": ("display", "Pay per Click Ads"),
    # X Education's "Reference": the lead was referred by someone.
    "referral": ("Reference",),
}

DIALECT = Dialect(
    name="Public datasets",
    headers=_HEADERS,
    links=_LINKS,
    channels=_CHANNELS,
)
