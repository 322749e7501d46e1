"""Which engine a source URL names: PostgreSQL or Spark (docs/scale-out.md).

`report --source URL`, `load --to URL` and the app's warehouse mode go through
here, so a new engine is one more branch; Spark's modules import pyspark only
when a Spark URL is used.
"""

from __future__ import annotations

from collections.abc import Collection

import duckdb

from kpi.messages import msg
from kpi.schema import TableKind

from . import postgres, spark
from .load import TableLoad


def check_url(url: str) -> None:
    """A WarehouseError unless `url` names an engine we run on."""
    if not url.startswith(postgres.SCHEMES + spark.SCHEMES):
        raise postgres.WarehouseError(msg("warehouse.any_scheme"))


def open_engine(url: str, schema: str, timeout_s: float | None = None
                ) -> postgres.PostgresEngine | spark.SparkEngine:
    """The engine at `url`, on `schema` (close it with `.close()`).

    `timeout_s` cancels a query that runs longer (WarehouseTimeout): the app's
    pages set it, the command line waits.
    """
    check_url(url)
    if spark.is_spark(url):
        return spark.SparkEngine(url, schema, timeout_s)
    return postgres.PostgresEngine(url, schema, timeout_s)


def load_into(duck: duckdb.DuckDBPyConnection, url: str, files: list[str],
              tables: Collection[TableKind], replace: Collection[TableKind],
              schema: str) -> dict[str, TableLoad]:
    """`kpi load`: the workspace's `tables` into the warehouse at `url`."""
    check_url(url)
    if spark.is_spark(url):
        from .spark_load import load_tables
    else:
        from .load import load_tables
    return load_tables(duck, url, files, tables, replace, schema)
