"""The currencies of the deals, and which one the KPIs show by default (docs/kpis/currencies.md).

Money is never summed across currencies: when the deals carry several, every
family keeps the selected currency's deals (`measures.CURRENCY_FILTER`). The
default is the currency with the most won revenue over all data (then the most
deals, then the code), so a single-currency workspace always shows its own.
A deal without a currency (workspaces imported before currencies were read)
is in none: it only counts when the deals carry no currency at all.
"""

from __future__ import annotations

from pydantic import BaseModel

from kpi.engine import Engine
from kpi.schema import Filters

from .measures import WON_REVENUE, deals

_CURRENCIES_SQL = f"""
SELECT currency, count(*) AS deals, coalesce({WON_REVENUE.sql()}, 0) AS won_revenue
FROM ({deals('"currency" IS NOT NULL')})
GROUP BY 1
ORDER BY won_revenue DESC, deals DESC, currency
"""


class CurrencyCount(BaseModel):
    """One currency of the deals: how many deals and their won revenue (any date)."""

    currency: str
    deals: int
    won_revenue: float


def currencies(con: Engine) -> list[CurrencyCount]:
    """Every currency of the deals, the default one first."""
    rows = con.execute(_CURRENCIES_SQL).fetchall()
    return [CurrencyCount(currency=c, deals=n, won_revenue=float(v)) for c, n, v in rows]


def default_currency(con: Engine) -> str | None:
    """The currency with the most won revenue over all data; None when deals carry none."""
    listed = currencies(con)
    return listed[0].currency if listed else None


def resolve_currency(con: Engine, filters: Filters) -> Filters:
    """The filters naming the currency used: the chosen one, else the default one."""
    if filters.currency is not None:
        return filters
    return filters.model_copy(update={"currency": _default(con, filters)})


def in_default_currency(con: Engine, filters: Filters) -> bool:
    """Whether figures without a currency of their own belong in the filters' currency.

    Packages, channel costs and proposals without a deal carry no currency:
    they are read in the default currency, the business's main one, and left
    out when another currency is selected (a ratio of pesos to euros means nothing).
    """
    return filters.currency is None or filters.currency == _default(con, filters)


def _default(con: Engine, filters: Filters) -> str | None:
    """The default currency: the one the caller gave (`Filters.default_currency`), else asked."""
    return filters.default_currency or default_currency(con)
