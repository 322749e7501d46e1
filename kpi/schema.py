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

from kpi.i18n import t
from kpi.messages import Text


class TableKind(StrEnum):
    """The canonical tables an export can be recognised as (declared in TABLES)."""

    DEALS = "deals"
    LEADS = "leads"
    PROPOSALS = "proposals"
    CONTENT = "content"
    COMPENSATION = "compensation"
    CHANNEL_COSTS = "channel_costs"
    USERS = "users"
    QUOTAS = "quotas"


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


class Need(StrEnum):
    """How much a page needs a field: the one place "required" is defined.

    REQUIRED fields (or one of their `instead` alternatives) must be mapped for
    a file to be read as the table, and a date or month among them must be
    present on every row (else the row is rejected). USEFUL fields are what
    the pages read beyond those: an empty state lists REQUIRED as needed and
    USEFUL as read when present.
    OPTIONAL fields are kept and shown in tables. HELPER fields are not stored:
    they only feed other columns (Pipedrive's won/lost times feed `closed_at`,
    Salesforce's flags feed `status`).
    """

    REQUIRED = "required"
    USEFUL = "useful"
    OPTIONAL = "optional"
    HELPER = "helper"


@dataclass(frozen=True)
class FieldSpec:
    """One field a source column can be mapped to."""

    name: str
    type: FieldType
    need: Need = Need.OPTIONAL
    # Fields that may stand in for this REQUIRED one (an amount already in the
    # company currency for `amount`...): the table is recognised with either.
    instead: tuple[str, ...] = ()
    # The headers spreadsheets and many CRMs share for it, English and French,
    # best first (the "Spreadsheet" dialect, kpi/ingest/dialects/generic.py); a
    # CRM's own names are in that CRM's dialect. Compared folded (case, accents,
    # spaces, punctuation ignored); the field's own name comes before them all.
    headers: tuple[str, ...] = ()

    @property
    def stored(self) -> bool:
        return self.need is not Need.HELPER


@dataclass(frozen=True)
class TableSpec:
    """One canonical table, declared once: everything that lists tables derives from it.

    Its stored columns and their DuckDB types (`columns`), the recognition's
    required fields, the data span (every stored date and month), the rep
    list (`owner_field`), the report's counts, the command line's `--<option>`,
    the empty states, the tables' summary (`tables_markdown`) and the headers
    every spreadsheet shares (the fields' `headers`) all read this declaration
    (docs/tables.md).
    """

    kind: TableKind
    fields: tuple[FieldSpec, ...]
    id_field: str | None = None  # unique per row; a repeated id is rejected
    owner_field: str | None = "owner"  # the rep a row belongs to
    option: str = ""  # the command line's `--<option> FILE`; the table name by default
    # Its fields are too common (an id and a name) to guess the table from
    # them: a file is read as this table only when it carries one of a
    # dialect's signature headers for it, or when the user chooses the table.
    needs_signature: bool = False

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def cli_option(self) -> str:
        return self.option or self.kind.value

    def field(self, name: str) -> FieldSpec:
        """The spec of one field (KeyError when the table has no such field)."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(f"{self.kind} has no field {name!r}")

    @property
    def required(self) -> tuple[tuple[str, ...], ...]:
        """Groups of fields, one of each to be mapped for a file to be this table."""
        return tuple((spec.name, *spec.instead) for spec in self.fields
                     if spec.need is Need.REQUIRED)

    @property
    def row_dates(self) -> tuple[str, ...]:
        """Dates every row must have (a row without one is rejected)."""
        return tuple(spec.name for spec in self.fields if spec.need is Need.REQUIRED
                     and spec.type in (FieldType.DATE, FieldType.MONTH))

    def named(self, need: Need) -> tuple[str, ...]:
        """The fields of this need, in order (an empty state lists the required, then the
        useful: a file is this table without the latter, the pages read them when there)."""
        return tuple(spec.name for spec in self.fields if spec.need is need)

    def stored_of(self, *types: FieldType) -> tuple[str, ...]:
        """The stored fields of these types."""
        return tuple(spec.name for spec in self.fields if spec.stored and spec.type in types)

    @property
    def columns(self) -> dict[str, str]:
        """Columns of the DuckDB table, in order, with their types.

        Besides the stored fields, every table keeps `source_file` (which
        upload a row came from, for Replace/Remove); a channel keeps
        `channel_raw` and a status `status_raw` beside it (the value as
        exported, for remapping).
        """
        columns: dict[str, str] = {}
        for spec in self.fields:
            if not spec.stored:
                continue
            columns[spec.name] = _COLUMN_TYPES.get(spec.type) or DUCKDB_TYPES[spec.type]
            if spec.type in (FieldType.CHANNEL, FieldType.STATUS):
                columns[f"{spec.name}_raw"] = "VARCHAR"
        columns["source_file"] = "VARCHAR"
        return columns


R, U, H = Need.REQUIRED, Need.USEFUL, Need.HELPER
T, D, A = FieldType.TEXT, FieldType.DATE, FieldType.AMOUNT
F, S, C, M = FieldType.FLAG, FieldType.STATUS, FieldType.CHANNEL, FieldType.MONTH

TABLES: dict[TableKind, TableSpec] = {spec.kind: spec for spec in (
    TableSpec(TableKind.DEALS, id_field="deal_id", fields=(
        # No id column: one is made per row (docs/tables.md), so not REQUIRED.
        FieldSpec("deal_id", T, U, headers=("Deal ID", "ID", "Identifiant", "ID de l'affaire",
                                            "ID de l'opportunité")),
        FieldSpec("deal_name", T, headers=("Deal Name", "Nom de l'affaire",
                                           "Nom de l'opportunité", "Titre")),
        FieldSpec("owner", T, R, headers=("Owner", "Commercial", "Collaborateur affecté", "User",
                                          "Propriétaire")),
        FieldSpec("channel", C, U, headers=("Canal d'acquisition", "Canal", "Source")),
        FieldSpec("stage", T, headers=("Stage", "Étape", "Phase")),
        # No status column: it can come from the stage or the flags.
        FieldSpec("status", S, U, headers=("Statut", "Status")),
        # A won-deals export may carry a won date and no amount (Olist): the
        # amounts then count as 0, and the report says so.
        FieldSpec("amount", A, R, instead=("amount_company", "won_at"),
                  headers=("Amount", "Montant", "Montant potentiel", "Value", "Valeur")),
        # An amount already converted to the company currency (HubSpot "Amount
        # in company currency", Salesforce "ConvertedAmount"): preferred over
        # `amount`, and then the currency is the workspace's (docs/tables.md).
        FieldSpec("amount_company", A, H),
        FieldSpec("created_at", D, R, headers=("Date de création", "Created")),
        FieldSpec("closed_at", D, U, headers=("Close Date", "Date de clôture", "Closed Date")),
        FieldSpec("proposal_sent_at", D, headers=("Proposal sent date",
                                                  "Date d'envoi de la proposition",
                                                  "Date envoi devis", "Proposal sent",
                                                  "Date d'envoi du devis")),
        FieldSpec("lead_id", T, headers=("Lead ID",)),
        FieldSpec("currency", T, U, headers=("Currency", "Devise")),
        FieldSpec("won_at", D, H),
        FieldSpec("lost_at", D, H, headers=("Date de perte",)),
        FieldSpec("is_won", F, H, headers=("Gagné",)),
        FieldSpec("is_closed", F, H, headers=("Fermé",)),
        # Odoo's "Active": an archived (inactive) opportunity is lost.
        FieldSpec("is_active", F, H),
    )),
    TableSpec(TableKind.LEADS, id_field="lead_id", fields=(
        FieldSpec("lead_id", T, R, headers=("Lead ID", "Identifiant", "ID")),
        FieldSpec("created_at", D, R, headers=("Date de création", "Created")),
        FieldSpec("owner", T, U, headers=("Owner", "Commercial", "Propriétaire")),
        FieldSpec("channel", C, U, headers=("Source", "Canal d'acquisition", "Canal")),
        FieldSpec("converted_at", D, U, headers=("Date de conversion", "Date de passage client")),
        FieldSpec("lead_status", T, H, headers=("Statut", "Status")),
        # Zoho's CONVERTED Yes/No, Salesforce's IsConverted, SuiteCRM's Converted 0/1.
        FieldSpec("is_converted", F, H),
    )),
    TableSpec(TableKind.PROPOSALS, id_field="proposal_id", fields=(
        FieldSpec("proposal_id", T, R, headers=("Numéro de devis", "Devis - ID", "Quote - ID",
                                                "N° de devis", "Numero devis")),
        FieldSpec("deal_id", T, U, headers=("Deal ID", "Affaire", "Opportunité", "Affaire - ID")),
        FieldSpec("owner", T, U, headers=("Commercial", "Owner", "Propriétaire", "Quote - Owner")),
        FieldSpec("sent_at", D, R, headers=("Date d'envoi", "Date du devis", "Quote date",
                                            "Date")),
        FieldSpec("amount", A, R, headers=("Montant HT", "Total HT", "Montant", "Amount",
                                           "Total")),
        FieldSpec("status", S, R, headers=("Statut", "Status", "Statut du devis")),
    )),
    TableSpec(TableKind.CONTENT, fields=(
        FieldSpec("date", D, R, headers=("Date",)),
        FieldSpec("owner", T, R, headers=("Commercial", "Owner", "Rep", "Propriétaire")),
        FieldSpec("kind", FieldType.CONTENT_KIND, R, headers=("Type", "Kind", "Type de contenu")),
        FieldSpec("deal_id", T, U, headers=("Affaire", "Deal ID", "Deal")),
        FieldSpec("title", T, headers=("Titre", "Title")),
        FieldSpec("views", FieldType.INTEGER, U, headers=("Vues", "Views", "Impressions")),
        FieldSpec("likes", FieldType.INTEGER, U, headers=("J'aime", "Likes", "Réactions",
                                                          "Reactions")),
    )),
    # One row per rep per month, or one per rep with an annual package
    # (`month` NULL): the metrics spread it over the twelve months of every
    # year the data covers (docs/tables.md).
    TableSpec(TableKind.COMPENSATION, fields=(
        FieldSpec("owner", T, R, headers=("Commercial", "Owner", "Rep", "Sales rep",
                                          "Collaborateur", "Propriétaire")),
        FieldSpec("month", M, U, headers=("Month", "Mois", "Période", "Period")),
        FieldSpec("package", A, R, instead=("annual_package",),
                  headers=("Package", "Total compensation", "Rémunération", "Coût total",
                           "Package mensuel", "Monthly package")),
        FieldSpec("annual_package", A, U, headers=("Annual package", "Package annuel",
                                                   "Rémunération annuelle")),
    )),
    TableSpec(TableKind.CHANNEL_COSTS, owner_field=None, option="costs", fields=(
        FieldSpec("channel", C, R, headers=("Canal", "Channel", "Source", "Canal d'acquisition")),
        FieldSpec("month", M, R, headers=("Month", "Mois", "Période", "Period")),
        FieldSpec("spend", A, R, headers=("Spend", "Dépense", "Dépenses", "Budget", "Cost",
                                          "Coût")),
    )),
    # A CRM's users (Salesforce User, Bitrix24 user.get, HubSpot's users
    # export): names for the owners other exports give as user ids
    # (docs/tables.md, Users). Not a KPI table: it renames owners.
    TableSpec(TableKind.USERS, id_field="user_id", owner_field=None, needs_signature=True,
              fields=(
        FieldSpec("user_id", T, R),
        FieldSpec("full_name", T, R, instead=("first_name", "last_name")),
        FieldSpec("first_name", T, H),
        FieldSpec("last_name", T, H),
    )),
    # One row per rep and quota period (Salesforce ForecastingQuota, HubSpot
    # goal targets, Pipedrive goals): the period starts on `period_start`'s
    # month and lasts a month, a quarter when `interval` says so, or up to
    # `period_end` (docs/kpis/quota-attainment.md, the quotas table). Its
    # headers are a spreadsheet's and the words CRMs' goal and quota screens
    # share: Salesforce's Start Date, Pipedrive's Assignee, Target and
    # Interval, HubSpot's Target and Start date.
    TableSpec(TableKind.QUOTAS, fields=(
        FieldSpec("owner", T, R, headers=("Quota owner", "Owner", "Commercial", "Propriétaire",
                                          "Assignee", "Assigned to", "Attribué à", "Rep")),
        # Not "Month" / "Mois": a packages file without its package column would
        # read as quotas.
        FieldSpec("period_start", M, R, headers=("Start date", "Date de début", "Period start",
                                                 "Début de période", "Period", "Période")),
        FieldSpec("target", A, R, headers=("Quota", "Objectif", "Target", "Cible", "Goal",
                                           "Quota amount", "Target amount",
                                           "Montant de l'objectif", "Objectif de CA")),
        FieldSpec("interval", T, U, headers=("Interval", "Intervalle", "Period type",
                                             "Type de période", "Frequency", "Fréquence")),
        FieldSpec("period_end", D, U, headers=("End date", "Date de fin", "Period end",
                                               "Fin de période")),
        FieldSpec("currency", T, headers=("Currency", "Devise")),
    )),
)}

# Derived views of TABLES, for the many readers that need one aspect.
FIELDS: dict[TableKind, tuple[FieldSpec, ...]] = {k: s.fields for k, s in TABLES.items()}
ID_FIELD: dict[TableKind, str | None] = {k: s.id_field for k, s in TABLES.items()}

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
_COLUMN_TYPES: dict[FieldType, str] = {FieldType.CHANNEL: CHANNEL_TYPE,
                                       FieldType.STATUS: STATUS_TYPE}

TABLE_COLUMNS: dict[TableKind, dict[str, str]] = {k: s.columns for k, s in TABLES.items()}


def field_spec(kind: TableKind, name: str) -> FieldSpec:
    """The spec of one field of a table (KeyError when the table has no such field)."""
    return TABLES[kind].field(name)


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
# Filters (docs/kpis/period.md): every KPI takes the same ones.
# --------------------------------------------------------------------------


class Filters(BaseModel):
    """Period, reps and channels, plus the options some KPI families use.

    `date_from`/`date_to` None mean "from/to the edge of the loaded data".
    Empty `reps`/`channels` mean all. `currency` (an ISO code) keeps the deals
    in that currency only, since money is never summed across currencies
    (docs/kpis/currencies.md); None means the default one (kpi.metrics.default_currency).
    """

    date_from: date | None = None
    date_to: date | None = None
    reps: list[str] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    min_closed: int = Field(default=10, ge=0)
    target_multiple: float = Field(default=3.0, gt=0)
    social_channel: str = "linkedin"
    currency: str | None = None
    # The data's default currency when the caller already knows it (the app's
    # sidebar asks it once per workspace revision), so the families that compare
    # `currency` with it do not query it again; None: asked from the data. Not
    # part of the report's filters.
    default_currency: str | None = Field(default=None, exclude=True)


def tables_markdown(lang: str | None = None) -> str:
    """The tables at a glance, written from TABLES: what each needs, what the pages
    read from it, what is kept ("a or b": either will do).

    In `lang` (the Definitions page) with the tables' and fields' labels; without
    (`python -m kpi tables`) with their names, which a column may carry to be
    always recognised.
    """
    def name(key: str, kind: str) -> str:
        return t(f"{kind}.{key}", lang) if lang else f"`{key}`"

    def names(spec: TableSpec, *needs: Need) -> str:
        either = f" {t('tables.or', lang or 'en')} "
        return ", ".join(either.join(name(n, "field") for n in (f.name, *f.instead))
                         if f.need is Need.REQUIRED else name(f.name, "field")
                         for f in spec.fields if f.need in needs) or "–"

    headings = [t(f"tables.{c}", lang or "en") for c in _SUMMARY_COLUMNS]
    lines = ["| " + " | ".join(headings) + " |", "|---" * len(headings) + "|"]
    for spec in TABLES.values():
        lines.append(" | ".join((
            f"| {t(f'table.{spec.name}', lang) if lang else spec.name}",
            names(spec, Need.REQUIRED), names(spec, Need.USEFUL), names(spec, Need.OPTIONAL),
            name(spec.id_field, "field") if spec.id_field else "–",
            name(spec.owner_field, "field") if spec.owner_field else "–",
            f"`--{spec.cli_option} FILE` |")))
    return "\n".join(lines)


_SUMMARY_COLUMNS = ("table", "needed", "read", "kept", "id", "rep", "command")
