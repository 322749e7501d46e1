"""The KPI vocabulary, declared once: business rules, measures, ratios and dimensions.

Every family's SQL is assembled from these declarations (docs/kpis/ says
what each one means), so "won in the period", a rep's Unassigned fallback or
a win rate is written in one place and two pages cannot drift apart.

What we took from the semantic layers we looked at:
- dbt MetricFlow: a measure is an aggregation of an expression with an
  optional filter and an aggregation time dimension; a ratio metric is a
  numerator over a denominator, each naming a measure.
- Rill metrics views: measures are SQL aggregate expressions of the OLAP
  engine (here DuckDB's `count(*) FILTER (WHERE ...)`), each with a format
  preset (count, money, percent, days here).
- boring-semantic-layer: dimensions and measures declared in Python next to
  the code that queries them, no YAML or server.

Why in-house: those tools generate one generic query per request; our pages
rely on tuned shapes (small (month, rep, channel) cells first, then grouping
sets over them; medians from a GROUP BY histogram; this period and the one
before in one query; ENUM columns kept bare in filters), which a generic
generator would lose, and they would add a dependency (ibis, dbt) for a few
dozen declarations. Here the families keep their query shapes and take every
rule, measure, ratio and dimension from this module.

Rules are SQL fragments over the canonical column names (`deals(...)` gives
them with their defaults); a compound rule is a tuple of predicates, all of
which hold. Values are parameters: $f/$t (the period), $reps, $channels,
$currency.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kpi.schema import UNASSIGNED

Format = Literal["count", "money", "percent", "days", "multiple"]
Aggregation = Literal["count", "sum"]
Predicates = tuple[str, ...]

# The channel of a row that has none (docs/kpis/README.md, "Missing values"); one of
# schema.CHANNELS (tests/unit/metrics/test_metrics_measures.py checks it).
UNKNOWN_CHANNEL = "unknown"


def sql_string(value: str) -> str:
    """A constant of this code as an SQL string literal (quotes doubled).

    Only for our own constants (the Unassigned rep, the unknown channel): a
    literal lets DuckDB fold the defaults; data values are always parameters.
    """
    return "'" + value.replace("'", "''") + "'"


def owner_of(column: str = '"owner"') -> str:
    """A row's rep: its owner, or Unassigned when it has none."""
    return f"coalesce({column}, {sql_string(UNASSIGNED)})"


def channel_of(column: str = '"channel"') -> str:
    """A row's channel, `unknown` when it has none (deals always have one)."""
    return f"coalesce({column}, {sql_string(UNKNOWN_CHANNEL)})"


def in_period(column: str) -> str:
    """`column` falls in the period, both ends included."""
    return f"{column} BETWEEN $f AND $t"


def where(*predicates: str) -> str:
    """The predicates joined by AND (a compound rule as SQL)."""
    return " AND ".join(predicates)


# --- Filters --------------------------------------------------------------
# Written so DuckDB can use the column's own type (`channel` and `status` are
# ENUMs, other tables' may be VARCHAR): a bare column inside list_contains with
# a parameter list becomes `channel IN (...)` on the column's type, pushed into
# the scan; wrapping the column (coalesce, CASE, a cast) makes it a per-row
# string test. The importer always fills a deal's channel; owner keeps its
# default here (cheap on VARCHAR).


def reps_filter(owner: str = owner_of()) -> str:
    """The rep filter ($reps; empty = every rep) on a row's rep."""
    return f"""(len($reps::VARCHAR[]) = 0
           OR list_contains($reps::VARCHAR[], {owner}))"""


def channels_filter(channel: str = '"channel"') -> str:
    """The channel filter ($channels; empty = every channel) on a row's channel."""
    return f"""(len($channels::VARCHAR[]) = 0
           OR list_contains($channels::VARCHAR[], {channel}))"""


def currency_filter(currency: str = '"currency"', when_none: str | None = None) -> str:
    """The selected currency ($currency; NULL when the deals carry none).

    A row whose currency is NULL passes only if `when_none` (SQL) is true;
    without it the column is compared bare, so the test is pushed into the scan.
    """
    test = f"{currency} = $currency::VARCHAR"
    if when_none is not None:
        test = f"coalesce({test}, {when_none})"
    return f"($currency::VARCHAR IS NULL OR {test})"


REPS_FILTER = reps_filter()
CHANNELS_FILTER = channels_filter()
CURRENCY_FILTER = currency_filter()

# --- Business rules -----------------------------------------------------
# A status is won, lost or anything else (NULL included), which is open
# (docs/tables.md, "Statuses"). `status` is the column as stored.
WON = "status = 'won'"
LOST = "status = 'lost'"
CLOSED = "status IN ('won', 'lost')"
IS_OPEN = "coalesce(status NOT IN ('won', 'lost'), true)"
# A deal closed before its creation date (entered after the fact) is kept
# everywhere else but has no sales cycle (docs/kpis/pipeline.md, "Sales cycle").
CYCLE_KNOWN = "closed_at >= created_at"
CYCLE_DAYS = "date_diff('day', created_at, closed_at)"
DECK_SHARED = "kind = 'deck_shared'"

WON_IN_PERIOD: Predicates = (WON, in_period("closed_at"))
CLOSED_IN_PERIOD: Predicates = (CLOSED, in_period("closed_at"))
CREATED_IN_PERIOD: Predicates = (in_period("created_at"),)
# Still open and created on or before the period's end, however old.
OPEN_AT_END: Predicates = (IS_OPEN, "created_at <= $t")
IN_CYCLE: Predicates = (WON, CYCLE_KNOWN)


# --- Dimensions ---------------------------------------------------------
def month_of(column: str) -> str:
    """SQL for the first day of `column`'s month, as a DATE.

    The same value as CAST(date_trunc('month', column) AS DATE) at a third of
    the cost (date_trunc goes through a TIMESTAMP); `column` is our identifier.
    """
    return f"({column} - CAST(day({column}) - 1 AS INTEGER))"


@dataclass(frozen=True)
class Dimension:
    """What figures are grouped by: `column` is the result's key, `expr` its SQL."""

    name: str
    column: str
    expr: str

    def select(self) -> str:
        """The dimension as a select item named `column`."""
        return f"{self.expr} AS {self.column}"


def month(time: str) -> Dimension:
    """The month of a measure's time dimension (its first day)."""
    return Dimension("month", "month", month_of(time))


REP = Dimension("rep", "owner", owner_of())
CHANNEL = Dimension("channel", "channel", '"channel"')
STAGE = Dimension("stage", "status", '"status"')


# D of docs/kpis/README.md, "Missing values": the deals with the canonical defaults (a missing owner
# is Unassigned, a missing amount 0). Unused columns cost nothing: DuckDB
# reads only the columns a query asks for.
_DEAL_COLUMNS = f"""
    SELECT "deal_id" AS deal_id,
           "deal_name" AS deal_name,
           {REP.select()},
           {CHANNEL.select()},
           {STAGE.select()},
           coalesce("amount", 0) AS amount,
           "currency" AS currency,
           "created_at" AS created_at,
           "closed_at" AS closed_at,
           "proposal_sent_at" AS proposal_sent_at
    FROM "deals"
"""


def deals(*predicates: str) -> str:
    """SQL of the deals passing `predicates` (on the stored columns), with the defaults."""
    return f"{_DEAL_COLUMNS}    WHERE {where(*predicates) or 'true'}\n"


# D itself: the deals passing the rep, channel and currency filters. A family
# that starts from D uses it as `WITH d AS ({DEALS_D})`.
D_FILTERS: Predicates = (REPS_FILTER, CHANNELS_FILTER, CURRENCY_FILTER)
DEALS_D = deals(*D_FILTERS)


# --- Measures -----------------------------------------------------------
@dataclass(frozen=True)
class Measure:
    """An aggregation of `expr` over the rows passing `filter`, placed in the period by `time`.

    `name` is the SQL alias and the result's key; `time` is the date column
    whose value puts a row in the period (None: the measure is a state at the
    period's end, such as the open pipeline).
    """

    name: str
    aggregation: Aggregation
    format: Format
    filter: Predicates = ()
    time: str | None = None
    expr: str = "*"
    sql_type: str | None = None  # cast of the aggregate (a sum of integers as BIGINT)

    def predicates(self, *, period: bool = False) -> Predicates:
        """The measure's filter, plus its time dimension inside the period when `period`."""
        dated = (in_period(self.time),) if period and self.time else ()
        return self.filter + dated

    def sql(self, *, period: bool = False, given: Iterable[str] = ()) -> str:
        """The aggregate; predicates in `given` (already in the query's WHERE) are left out.

        With `period` the time dimension is tested in the FILTER; without, the
        query's WHERE puts rows in the period (or in either compared period).
        """
        known = set(given)
        kept = [p for p in self.predicates(period=period) if p not in known]
        aggregate = f"{self.aggregation}({self.expr})"
        if kept:
            aggregate += f" FILTER (WHERE {where(*kept)})"
        return f"CAST({aggregate} AS {self.sql_type})" if self.sql_type else aggregate

    def select(self, *, period: bool = False, given: Iterable[str] = ()) -> str:
        """`sql()` named by the measure (one item of a select list)."""
        return f"{self.sql(period=period, given=given)} AS {self.name}"

    def rollup(self) -> str:
        """The measure summed over cells that already aggregate it (grouping sets)."""
        return f"sum({self.name}) AS {self.name}"


def selects(measures: Iterable[Measure], *, period: bool = False,
            given: Iterable[str] = ()) -> str:
    """The select items of several measures."""
    given = tuple(given)
    return ",\n       ".join(m.select(period=period, given=given) for m in measures)


def rollups(measures: Iterable[Measure]) -> str:
    """The rollup items of several measures."""
    return ", ".join(m.rollup() for m in measures)


# Deals (docs/kpis/pipeline.md, channels.md, packages-vs-revenue.md).
CLOSED_DEALS = Measure("closed", "count", "count", (CLOSED,), "closed_at")
WON_DEALS = Measure("won", "count", "count", (WON,), "closed_at")
WON_REVENUE = Measure("won_revenue", "sum", "money", (WON,), "closed_at", "amount")
CYCLE_SUM = Measure("cycle_sum", "sum", "days", IN_CYCLE, "closed_at", CYCLE_DAYS)
CYCLE_COUNT = Measure("cycle_count", "count", "count", IN_CYCLE, "closed_at", CYCLE_DAYS)
DEALS_CREATED = Measure("deals_created", "count", "count", (), "created_at")
OPEN_DEALS = Measure("open_deals", "count", "count", OPEN_AT_END)
OPEN_PIPELINE_VALUE = Measure("open_pipeline_value", "sum", "money", OPEN_AT_END, None, "amount")
LEADS = Measure("leads", "count", "count", (), "created_at")

# Proposals, placed in the period by their sent date (docs/kpis/proposals-and-forecast.md).
SENT = Measure("sent", "count", "count", (), "sent_at")
PROPOSALS_WON = Measure("won", "count", "count", (WON,), "sent_at")
PROPOSALS_LOST = Measure("lost", "count", "count", (LOST,), "sent_at")
PENDING = Measure("pending", "count", "count", (IS_OPEN,), "sent_at")
PENDING_VALUE = Measure("pending_value", "sum", "money", (IS_OPEN,), "sent_at", "amount")

# Marketing content: events by their date, deals worked by their creation date.
DECKS_SHARED = Measure("decks_shared", "count", "count", (DECK_SHARED,), "date")
ARTICLES_SHARED = Measure("articles_shared", "count", "count", ("kind = 'article_shared'",), "date")
OWN_POSTS = Measure("own_posts", "count", "count", ("kind = 'own_post'",), "date")
VIEWS = Measure("views", "sum", "count", (), "date", "views", "BIGINT")
LIKES = Measure("likes", "sum", "count", (), "date", "likes", "BIGINT")
CONTENT_EVENTS = (DECKS_SHARED, ARTICLES_SHARED, OWN_POSTS, VIEWS, LIKES)
DEALS_WORKED = Measure("deals_worked", "count", "count", (), "created_at")
DEALS_WITH_CONTENT = Measure("deals_with_content", "count", "count", ("with_content",),
                             "created_at")

# Figures computed outside a deal aggregate (costs and packages spread over
# the period's days; the social funnel's customers): named for their ratios.
SPEND = Measure("spend", "sum", "money")
PACKAGE = Measure("package", "sum", "money")
CUSTOMERS = Measure("customers", "count", "count")

MEASURES: tuple[Measure, ...] = (
    CLOSED_DEALS, WON_DEALS, WON_REVENUE, CYCLE_SUM, CYCLE_COUNT, DEALS_CREATED, OPEN_DEALS,
    OPEN_PIPELINE_VALUE, LEADS, SENT, PROPOSALS_WON, PROPOSALS_LOST, PENDING, PENDING_VALUE,
    *CONTENT_EVENTS, DEALS_WORKED, DEALS_WITH_CONTENT, SPEND, PACKAGE, CUSTOMERS,
)


# --- Ratios -------------------------------------------------------------
@dataclass(frozen=True)
class Ratio:
    """numerator / (sum of the denominators), None when that is 0 or missing
    (docs/kpis/README.md)."""

    name: str
    numerator: str
    denominator: tuple[str, ...]
    format: Format

    def of(self, values: Mapping[str, Any]) -> float | None:
        """The ratio of measures already computed, named as in the declaration."""
        parts = [values.get(name) for name in self.denominator]
        denominator = None if any(part is None for part in parts) else sum(parts)
        return _ratio(values.get(self.numerator), denominator)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when undefined (docs/kpis/README.md: never 0,
    never an error)."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


WIN_RATE = Ratio("win_rate", "won", ("closed",), "percent")
AVG_DEAL_VALUE = Ratio("avg_deal_value", "won_revenue", ("won",), "money")
REVENUE_PER_CLOSED = Ratio("revenue_per_closed", "won_revenue", ("closed",), "money")
AVG_CYCLE_DAYS = Ratio("avg_cycle_days", "cycle_sum", ("cycle_count",), "days")
CAC = Ratio("cac", "spend", ("won",), "money")
CONVERSION_RATE = Ratio("conversion_rate", "won", ("won", "lost"), "percent")
LEAD_TO_CUSTOMER_RATE = Ratio("lead_to_customer_rate", "customers", ("leads",), "percent")
USAGE_RATE = Ratio("usage_rate", "deals_with_content", ("deals_worked",), "percent")
PACKAGE_RATIO = Ratio("package_ratio", "won_revenue", ("package",), "multiple")
# A channel's share of the won revenue of the channels ranked (channel focus).
REVENUE_SHARE = Ratio("revenue_share", "won_revenue", ("ranked_revenue",), "percent")

RATIOS: tuple[Ratio, ...] = (
    WIN_RATE, AVG_DEAL_VALUE, REVENUE_PER_CLOSED, AVG_CYCLE_DAYS, CAC, CONVERSION_RATE,
    LEAD_TO_CUSTOMER_RATE, USAGE_RATE, PACKAGE_RATIO, REVENUE_SHARE,
)

# How each figure is shown, by name (a measure's name may serve two row sets,
# such as deals and proposals won: both are counts).
FORMATS: dict[str, Format] = {item.name: item.format for item in (*MEASURES, *RATIOS)}


