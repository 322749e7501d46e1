"""Salesforce: report exports (field labels) and object exports (API names).

Reports write labels (`Opportunity Owner`, `Created Date`, `Won`, `Closed`,
`Amount (converted)`; French orgs `Propriétaire de l'opportunité`, `Origine
de la piste`); Data Loader, Workbench and data exports write the objects' API
names (`Id`, `StageName`, `IsWon`, `OwnerId`, `CurrencyIsoCode`…, as in
../shared/real/salesforce-winkel/Opportunity.csv). Opportunity, Lead,
Campaign, ForecastingQuota and User objects; a Campaign export is channel
costs (Type, StartDate, ActualCost), a ForecastingQuota export quotas
(QuotaOwnerId, StartDate, QuotaAmount); a User export (Id, Name, Username,
ProfileId…) names the owners that Opportunity and Lead exports give as user
ids. Values: the standard Lead
Source picklist, the Campaign Type picklist, and the Spanish stages and
sources of the real org in salesforce-winkel.
"""

from kpi.ingest.dialects import Dialect, Headers
from kpi.schema import TableKind

_HEADERS: dict[TableKind, Headers] = {
    TableKind.DEALS: {
        "deal_id": ("Opportunity ID", "Id"),
        "deal_name": ("Opportunity Name", "Name"),
        "owner": ("Opportunity Owner", "OwnerId", "Propriétaire de l'opportunité"),
        "stage": ("Stage", "StageName"),
        "amount": ("Amount",),
        "amount_company": ("Amount (converted)", "ConvertedAmount"),
        "created_at": ("Created Date", "CreatedDate"),
        "closed_at": ("Close Date", "CloseDate"),
        "channel": ("Lead Source", "LeadSource", "Origine de la piste"),
        "lead_id": ("ContactId",),
        "currency": ("Opportunity Currency", "CurrencyIsoCode"),
        "is_won": ("Won", "IsWon", "Is Won"),
        "is_closed": ("Closed", "IsClosed", "Is Closed"),
    },
    TableKind.LEADS: {
        "lead_id": ("Lead ID", "Id", "ID de piste"),
        "owner": ("Lead Owner", "OwnerId", "Propriétaire de la piste"),
        "created_at": ("Created Date", "CreatedDate"),
        "channel": ("Lead Source", "LeadSource", "Origine de la piste"),
        "converted_at": ("Converted Date", "ConvertedDate"),
        "lead_status": ("Lead Status", "Status", "Statut de la piste"),
        "is_converted": ("Converted", "IsConverted"),
    },
    TableKind.CHANNEL_COSTS: {
        "channel": ("Type",),
        "month": ("Start Date", "StartDate"),
        "spend": ("Actual Cost", "ActualCost"),
    },
    # The ForecastingQuota object (Data Loader): StartDate is the generic "Start date".
    TableKind.QUOTAS: {
        "owner": ("QuotaOwnerId", "Quota Owner ID"),
        "target": ("QuotaAmount",),
        "currency": ("CurrencyIsoCode", "Currency ISO Code"),
    },
    # The User object, whose Id is what OwnerId holds.
    TableKind.USERS: {
        "user_id": ("User ID", "Id"),
        # "Name" first: Bitrix24 writes NAME for the first name (a tie the dialect breaks).
        "full_name": ("Name", "Full Name"),
        "first_name": ("First Name", "FirstName"),
        "last_name": ("Last Name", "LastName"),
    },
}

_LINKS: dict[TableKind, tuple[str, ...]] = {
    TableKind.DEALS: ("AccountId", "ContactId", "CampaignId"),
    TableKind.LEADS: ("ConvertedAccountId", "ConvertedContactId", "ConvertedOpportunityId"),
}

# Campaign fields no field of ours is read from: they tell a Campaign export
# (channel costs) from an Opportunity or Lead export, which share Id, Name,
# OwnerId, CreatedDate and, for ExpectedRevenue, Odoo's amount header.
_SIGNATURES: dict[TableKind, tuple[str, ...]] = {
    TableKind.CHANNEL_COSTS: (
        "EndDate", "BudgetedCost", "ExpectedResponse", "NumberSent", "NumberOfLeads",
        "NumberOfConvertedLeads", "NumberOfContacts", "NumberOfResponses",
        "NumberOfOpportunities", "NumberOfWonOpportunities", "AmountAllOpportunities",
        "AmountWonOpportunities", "CampaignMemberRecordTypeId",
    ),
    # User fields no other object has.
    TableKind.USERS: ("Username", "ProfileId", "UserRoleId", "UserType", "LastLoginDate"),
}

_CHANNELS: dict[str, tuple[str, ...]] = {
    # Lead Source picklist ("Web" and "Other" are plain words); Spanish org values.
    "referral": ("Partner Referral", "Socios", "Referral Program", "Partners"),
    "other": ("Otros",),
    # Campaign Type picklist ("Conference", "Webinar", "Trade Show", "Email" are plain words).
    "cold_call": ("Telemarketing",),
    "website_paid": ("Banner Ads",),
}

_STATUSES: dict[str, tuple[str, ...]] = {
    # The open stages of the Spanish-speaking org in salesforce-winkel (IsClosed = 0).
    "open": ("Interes", "Diseño Propuesta", "Presentación Propuesta", "Negociación", "Firmas"),
}

DIALECT = Dialect(
    name="Salesforce",
    headers=_HEADERS,
    links=_LINKS,
    signatures=_SIGNATURES,
    statuses=_STATUSES,
    channels=_CHANNELS,
    # The standard Lead Status of a converted lead.
    customer_statuses=("Closed - Converted",),
)
