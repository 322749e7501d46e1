"""The KPIs on a warehouse: PostgreSQL through the Engine seam (docs/scale-out.md)."""

from .postgres import PostgresEngine, WarehouseError, WarehouseTimeout, connect

__all__ = ["PostgresEngine", "WarehouseError", "WarehouseTimeout", "connect"]
