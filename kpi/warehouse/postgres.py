"""PostgreSQL as an Engine: the KPI queries compiled by SQLGlot, run by psycopg (docs/scale-out.md).

Credentials come only from the URL or libpq's environment (PGPASSWORD,
PGPASSFILE...); no message of ours repeats the URL, and the server's own
messages never hold the password.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import psycopg
from psycopg import sql
from psycopg.adapt import Loader

from kpi.messages import MessageError, msg

from .dialect import to_postgres

CONNECT_TIMEOUT_S = 10
# What fills a warehouse's missing tables, said by the errors that find one missing.
LOAD_COMMAND = "`python -m kpi load --to URL FILE...`"
SCHEMES = ("postgresql://", "postgres://")


class WarehouseError(MessageError):
    """A warehouse that cannot be reached or used: a message code, no secret in it (the
    server's reason is a parameter, in its own words)."""


class WarehouseTimeout(WarehouseError):
    """A query ran longer than the engine's timeout and was cancelled."""


def timed_out(seconds: float) -> WarehouseTimeout:
    """The one message of a cancelled query, whichever engine cancelled it."""
    return WarehouseTimeout(msg("warehouse.timeout", seconds=seconds))


class _Number(Loader):
    """numeric as DuckDB would return it: a whole number as int (sums of counts), else float.

    PostgreSQL sums integers into numeric; the families add and divide those
    with floats, which a Decimal refuses.
    """

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(Decimal(text))


def connect(url: str, schema: str = "public",
            timeout_s: float | None = None) -> psycopg.Connection:
    """An autocommit connection to `url` on `schema` (WarehouseError when impossible).

    `con.transaction()` opens a real transaction on it when one is wanted.
    `timeout_s` cancels a statement that runs longer (the app's pages; the
    command line waits).
    """
    if not url.startswith(SCHEMES):
        raise WarehouseError(msg("warehouse.postgres_scheme"))
    try:
        con = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    except psycopg.ProgrammingError:  # libpq could not parse it: do not echo it back
        raise WarehouseError(msg("warehouse.bad_url")) from None
    except psycopg.OperationalError as exc:
        raise WarehouseError(msg("warehouse.unreachable", reason=reason(exc))) from None
    con.adapters.register_loader("numeric", _Number)
    con.execute(sql.SQL("SET search_path TO {}").format(sql.Identifier(schema)))
    if timeout_s is not None:
        con.execute("SELECT set_config('statement_timeout', %s, false)",
                    [str(max(1, round(timeout_s * 1000)))])
    return con


def reason(exc: psycopg.Error) -> str:
    """The server's message, or libpq's first line (neither holds the password)."""
    if exc.diag.message_primary:
        return exc.diag.message_primary
    lines = str(exc).strip().splitlines() or ["no reason given"]
    for prefix in ("connection failed: ", "connection is bad: "):
        lines[0] = lines[0].removeprefix(prefix)
    return lines[0].strip()


class PostgresEngine:
    """Runs the families' DuckDB SQL on PostgreSQL; rows come back as from DuckDB."""

    def __init__(self, url: str, schema: str = "public", timeout_s: float | None = None) -> None:
        self.schema = schema
        self.timeout_s = timeout_s
        self._con = connect(url, schema, timeout_s)

    @property
    def broken(self) -> bool:
        """Whether the connection is lost (a server restart): a new engine is needed."""
        return self._con.closed or self._con.broken

    def execute(self, query: str, parameters: Any = None, /) -> psycopg.Cursor:
        """Compile (cached) and run; a server error becomes a WarehouseError."""
        try:
            return self._con.execute(to_postgres(query), parameters)
        except psycopg.errors.QueryCanceled as exc:  # ours, or the server's own timeout
            raise (timed_out(self.timeout_s) if self.timeout_s else WarehouseTimeout(
                msg("warehouse.query_refused", reason=reason(exc)))) from None
        except psycopg.errors.UndefinedTable as exc:
            raise WarehouseError(msg("warehouse.no_table", schema=self.schema,
                                     reason=reason(exc), command=LOAD_COMMAND)) from None
        except psycopg.Error as exc:
            raise WarehouseError(msg("warehouse.query_refused", reason=reason(exc))) from None

    def close(self) -> None:
        self._con.close()
