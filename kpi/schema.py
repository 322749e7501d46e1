"""The canonical tables every upload is mapped into, and the import report.

This module is the contract between the importer (`kpi.ingest`), the workspace
(`kpi.workspace`) and the metrics (`kpi.metrics`): the importer produces these
columns with these DuckDB types, the metrics read them. See docs/tables.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from kpi.messages import Text


class TableKind(StrEnum):
    """The six canonical tables an export can be recognised as."""

    DEALS = "deals"
    LEADS = "leads"
    PROPOSALS = "proposals"
    CONTENT = "content"
    COMPENSATION = "compensation"
    CHANNEL_COSTS = "channel_costs"


class FieldType(StrEnum):
    """How a raw text value is parsed into a canonical column."""

    TEXT = "text"
    DATE = "date"
    AMOUNT = "amount"  # decimal money value, DOUBLE in DuckDB
    INTEGER = "integer"
    STATUS = "status"  # open / won / lost, through the status mapping
    CHANNEL = "channel"  # canonical channel id, through the channel mapping
    FLAG = "flag"  # true / false (Salesforce's Is Won, Closed)
    MONTH = "month"  # YYYY-MM or any date in the month -> first day of the month
    CONTENT_KIND = "content_kind"


DUCKDB_TYPES: dict[FieldType, str] = {
    FieldType.TEXT: "VARCHAR",
    FieldType.DATE: "DATE",
    FieldType.AMOUNT: "DOUBLE",
    FieldType.INTEGER: "BIGINT",
    FieldType.STATUS: "VARCHAR",
    FieldType.CHANNEL: "VARCHAR",
    FieldType.FLAG: "BOOLEAN",
    FieldType.MONTH: "DATE",
    FieldType.CONTENT_KIND: "VARCHAR",
}


@dataclass(frozen=True)
class FieldSpec:
    """One field a source column can be mapped to.

    `stored` is False for helper fields that only feed other columns (e.g.
    Pipedrive's won/lost times feed `closed_at`, Salesforce's flags feed `status`).
    """

    name: str
    type: FieldType
    required: bool = False
    stored: bool = True


def _f(name: str, type_: FieldType, required: bool = False, stored: bool = True) -> FieldSpec:
    return FieldSpec(name, type_, required, stored)


T, D, A = FieldType.TEXT, FieldType.DATE, FieldType.AMOUNT

FIELDS: dict[TableKind, tuple[FieldSpec, ...]] = {
    TableKind.DEALS: (
        _f("deal_id", T, True),
        _f("deal_name", T),
        _f("owner", T, True),
        _f("channel", FieldType.CHANNEL),
        _f("stage", T),
        _f("status", FieldType.STATUS),
        _f("amount", A, True),
        # An amount already converted to the company currency (HubSpot "Amount
        # in company currency", Salesforce "ConvertedAmount"): preferred over
        # `amount`, and then the currency is the workspace's (docs/tables.md).
        _f("amount_company", A, stored=False),
        _f("created_at", D, True),
        _f("closed_at", D),
        _f("proposal_sent_at", D),
        _f("lead_id", T),
        _f("currency", T),
        _f("won_at", D, stored=False),
        _f("lost_at", D, stored=False),
        _f("is_won", FieldType.FLAG, stored=False),
        _f("is_closed", FieldType.FLAG, stored=False),
        # Odoo's "Active": an archived (inactive) opportunity is lost.
        _f("is_active", FieldType.FLAG, stored=False),
    ),
    TableKind.LEADS: (
        _f("lead_id", T, True),
        _f("created_at", D, True),
        _f("owner", T),
        _f("channel", FieldType.CHANNEL),
        _f("converted_at", D),
        _f("lead_status", T, stored=False),
        # Zoho's CONVERTED Yes/No, Salesforce's IsConverted, SuiteCRM's Converted 0/1.
        _f("is_converted", FieldType.FLAG, stored=False),
    ),
    TableKind.PROPOSALS: (
        _f("proposal_id", T, True),
        _f("deal_id", T),
        _f("owner", T, True),
        _f("sent_at", D, True),
        _f("amount", A, True),
        _f("status", FieldType.STATUS, True),
    ),
    TableKind.CONTENT: (
        _f("date", D, True),
        _f("owner", T, True),
        _f("kind", FieldType.CONTENT_KIND, True),
        _f("deal_id", T),
        _f("title", T),
        _f("views", FieldType.INTEGER),
        _f("likes", FieldType.INTEGER),
    ),
    TableKind.COMPENSATION: (
        _f("owner", T, True),
        _f("month", FieldType.MONTH),
        _f("package", A),
        _f("annual_package", A),
    ),
    TableKind.CHANNEL_COSTS: (
        _f("channel", FieldType.CHANNEL, True),
        _f("month", FieldType.MONTH, True),
        _f("spend", A, True),
    ),
}

CHANNELS: tuple[str, ...] = (
    "linkedin",
    "facebook",
    "twitter",
    "viadeo",
    "other_social",
    "cold_email",
    "cold_call",
    "event",
    "website_organic",
    "website_paid",
    "word_of_mouth",
    "referral",
    "other",
    "unknown",
)
SOCIAL_CHANNELS: tuple[str, ...] = ("linkedin", "facebook", "twitter", "viadeo", "other_social")
STATUSES: tuple[str, ...] = ("open", "won", "lost")
CONTENT_KINDS: tuple[str, ...] = ("deck_shared", "article_shared", "own_post")
UNASSIGNED = "Unassigned"


def _enum(values: tuple[str, ...]) -> str:
    return "ENUM(" + ", ".join(f"'{v}'" for v in values) + ")"


# Channel and status always hold canonical values (the importer maps every raw
# value), so they are stored as ENUMs: one byte per row instead of a string,
# and filters on them compare small integers. Owners are free text (VARCHAR).
CHANNEL_TYPE = _enum(CHANNELS)
STATUS_TYPE = _enum(STATUSES)

# Columns of the DuckDB tables, in order. Besides the stored fields, every
# table keeps `source_file` (which upload a row came from, for Replace/Remove)
# and channel tables keep `channel_raw` (the value as exported, for remapping);
# tables with a status keep `status_raw` (the stage/status text it came from).
TABLE_COLUMNS: dict[TableKind, dict[str, str]] = {
    TableKind.DEALS: {
        "deal_id": "VARCHAR",
        "deal_name": "VARCHAR",
        "owner": "VARCHAR",
        "channel": CHANNEL_TYPE,
        "channel_raw": "VARCHAR",
        "stage": "VARCHAR",
        "status": STATUS_TYPE,
        "status_raw": "VARCHAR",
        "amount": "DOUBLE",
        "created_at": "DATE",
        "closed_at": "DATE",
        "proposal_sent_at": "DATE",
        "lead_id": "VARCHAR",
        "currency": "VARCHAR",
        "source_file": "VARCHAR",
    },
    TableKind.LEADS: {
        "lead_id": "VARCHAR",
        "created_at": "DATE",
        "owner": "VARCHAR",
        "channel": CHANNEL_TYPE,
        "channel_raw": "VARCHAR",
        "converted_at": "DATE",
        "source_file": "VARCHAR",
    },
    TableKind.PROPOSALS: {
        "proposal_id": "VARCHAR",
        "deal_id": "VARCHAR",
        "owner": "VARCHAR",
        "sent_at": "DATE",
        "amount": "DOUBLE",
        "status": STATUS_TYPE,
        "status_raw": "VARCHAR",
        "source_file": "VARCHAR",
    },
    TableKind.CONTENT: {
        "date": "DATE",
        "owner": "VARCHAR",
        "kind": "VARCHAR",
        "deal_id": "VARCHAR",
        "title": "VARCHAR",
        "views": "BIGINT",
        "likes": "BIGINT",
        "source_file": "VARCHAR",
    },
    # One row per rep per month. An annual package is stored with
    # `month` NULL and `annual_package` set; the metrics spread it over the
    # twelve months of every year the data covers (docs/tables.md).
    TableKind.COMPENSATION: {
        "owner": "VARCHAR",
        "month": "DATE",
        "package": "DOUBLE",
        "annual_package": "DOUBLE",
        "source_file": "VARCHAR",
    },
    TableKind.CHANNEL_COSTS: {
        "channel": CHANNEL_TYPE,
        "channel_raw": "VARCHAR",
        "month": "DATE",
        "spend": "DOUBLE",
        "source_file": "VARCHAR",
    },
}

ID_FIELD: dict[TableKind, str | None] = {
    TableKind.DEALS: "deal_id",
    TableKind.LEADS: "lead_id",
    TableKind.PROPOSALS: "proposal_id",
    TableKind.CONTENT: None,
    TableKind.COMPENSATION: None,
    TableKind.CHANNEL_COSTS: None,
}



def field_spec(kind: TableKind, name: str) -> FieldSpec:
    """The spec of one field of a table (KeyError when the table has no such field)."""
    for spec in FIELDS[kind]:
        if spec.name == name:
            return spec
    raise KeyError(f"{kind} has no field {name!r}")


# --------------------------------------------------------------------------
# Import report (the "import" part of the report contract, docs/report-command.md)
# --------------------------------------------------------------------------


class RejectedRow(BaseModel):
    """A row that was not loaded, and why. `row` is the 1-based line in the file."""

    row: int
    column: str | None = None
    value: str | None = None
    reason: Text


class ColumnDecision(BaseModel):
    """How one source column was read."""

    source: str
    field: str | None = None  # None: ignored
    note: Text | None = None  # e.g. day first (values like '25/03/2024')
    samples: list[str] = Field(default_factory=list)  # a few distinct values, for mapping by hand


class FileReport(BaseModel):
    """What happened to one uploaded file. Its messages are codes with parameters
    (kpi.messages), rendered in the reader's language when shown."""

    file: str
    table: TableKind | None = None
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal_mark: str | None = None
    date_order: str | None = None  # "DMY", "MDY", "YMD"
    header_row: int = 1
    columns: list[ColumnDecision] = Field(default_factory=list)
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_dropped: int = 0  # e.g. Pipedrive's deleted deals
    rejects: list[RejectedRow] = Field(default_factory=list)
    notes: list[Text] = Field(default_factory=list)
    # Figures that may be misread (a status column read as 100 % open, sources
    # mostly `other`): shown as warnings with the raw values to map.
    warnings: list[Text] = Field(default_factory=list)
    error: Text | None = None  # set when the whole file was refused (then no row is loaded)
    dialect: str | None = None  # the CRM whose headers the file matches best
    # Another table the file could be, when recognition was close (the Data
    # page offers it).
    alternative: TableKind | None = None

    @property
    def mapping(self) -> dict[str, str]:
        """source column -> canonical field, for the mapped columns."""
        return {c.source: c.field for c in self.columns if c.field}


# --------------------------------------------------------------------------
# Filters (docs/kpis.md, "Period"): every KPI takes the same ones.
# --------------------------------------------------------------------------


class Filters(BaseModel):
    """Period, reps and channels, plus the options some KPI families use.

    `date_from`/`date_to` None mean "from/to the edge of the loaded data".
    Empty `reps`/`channels` mean all. `currency` (an ISO code) keeps the deals
    in that currency only, since money is never summed across currencies
    (docs/kpis.md, "Period"); None means the default one (kpi.metrics.default_currency).
    """

    date_from: date | None = None
    date_to: date | None = None
    reps: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    min_closed: int = Field(default=10, ge=0)
    target_multiple: float = Field(default=3.0, gt=0)
    social_channel: str = "linkedin"
    currency: str | None = None
