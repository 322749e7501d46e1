"""How many deals the currency filter leaves out of a view, for the page's caption.

docs/kpis/currencies.md: when the deals carry several currencies, the figures cover one,
and the page says how many deals in other currencies are left out. Counted are
the deals a page would otherwise show for these filters: passing the rep and
channel filters, and created in the period, closed in it, or still open at its end.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from kpi.engine import Engine
from kpi.schema import Filters

from . import measures as m
from ._common import OPEN_FROM, OPEN_TO, fetch_dicts
from .currency import resolve_currency

_LEFT_OUT_SQL = f"""
SELECT "currency" AS currency, count(*) AS deals
FROM "deals"
WHERE "currency" <> $currency::VARCHAR
  AND {m.REPS_FILTER}
  AND {m.CHANNELS_FILTER}
  AND ({m.where(*m.CREATED_IN_PERIOD)}
       OR ({m.where(*m.CLOSED_IN_PERIOD)})
       OR ({m.where(*m.OPEN_AT_END)}))
GROUP BY 1
ORDER BY deals DESC, currency
"""


class LeftOut(BaseModel):
    """Deals in currencies other than `currency`, and those currencies (most deals first)."""

    currency: str | None
    deals: int = 0
    currencies: list[str] = Field(default_factory=list)


def left_out(con: Engine, filters: Filters) -> LeftOut:
    """The deals in other currencies that these filters would otherwise show.

    A missing period bound means no limit (the default period is the data's
    whole span), so the span is never scanned for this count.
    """
    chosen = resolve_currency(con, filters).currency
    if chosen is None:  # the deals carry no currency: nothing is left out
        return LeftOut(currency=None)
    rows = fetch_dicts(con, _LEFT_OUT_SQL, {
        "currency": chosen,
        "reps": list(filters.reps),
        "channels": list(filters.channels),
        "f": filters.date_from or OPEN_FROM,
        "t": filters.date_to or OPEN_TO,
    })
    return LeftOut(currency=chosen, deals=sum(row["deals"] for row in rows),
                   currencies=[row["currency"] for row in rows])
