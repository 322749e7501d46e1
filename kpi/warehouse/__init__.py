"""The KPIs on a warehouse: PostgreSQL and Spark through the Engine seam (docs/scale-out.md).

`sources.open_engine` / `sources.load_into` pick the engine a URL names; the
Spark modules import pyspark only when a Spark URL is used.
"""

from .postgres import PostgresEngine, WarehouseError, WarehouseTimeout, connect

__all__ = ["PostgresEngine", "WarehouseError", "WarehouseTimeout", "connect"]
