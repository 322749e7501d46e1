"""Write a workspace's canonical tables into a Spark lake: `python -m kpi load --to spark...`
(docs/scale-out.md).

The same contract as the PostgreSQL loader (kpi/warehouse/load.py): every
declared table exists afterwards (empty Parquet with kpi.schema's columns when
no file filled it); per table, the loaded files' rows replace the table, or are
appended after dropping what earlier loads brought from files of the same
names, so the same files loaded twice leave the same rows; a row whose id the
table already holds is skipped. Parquet has no DELETE and Spark cannot
overwrite a folder it reads, so each new table is written beside the old one
and the folders are swapped once every table is written.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import duckdb

from kpi.messages import msg
from kpi.schema import ID_FIELD, TABLE_COLUMNS, TableKind

from .load import SOURCE_COLUMN, TableLoad
from .postgres import WarehouseError
from .spark import Lake, parse_url, reason, session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# DuckDB's column types as Spark's; an ENUM (channel, status) is a string there.
_TYPES = {"VARCHAR": "STRING", "DATE": "DATE", "DOUBLE": "DOUBLE", "BIGINT": "BIGINT"}
_STAGING, _OLD = ".loading", ".replaced"


def spark_schema(kind: TableKind) -> str:
    """The table's columns as Spark DDL (`` `deal_id` STRING, ...``)."""
    return ", ".join(f"`{name}` {_TYPES.get(duck, 'STRING')}"
                     for name, duck in TABLE_COLUMNS[kind].items())


def _workspace_rows(spark: SparkSession, duck: duckdb.DuckDBPyConnection,
                    kind: TableKind) -> DataFrame:
    """The workspace's rows of one table, through Arrow (they travel via the driver)."""
    columns = ", ".join(f'"{name}"' if duck_type in _TYPES else f'CAST("{name}" AS VARCHAR) '
                        f'AS "{name}"' for name, duck_type in TABLE_COLUMNS[kind].items())
    arrow = duck.sql(f'SELECT {columns} FROM "{kind.value}"').to_arrow_table()
    return spark.createDataFrame(arrow, schema=spark_schema(kind))


class _Files:
    """The lake's file system (Hadoop's: a local disk, HDFS, S3...), as Spark sees it."""

    def __init__(self, spark: SparkSession, path: str) -> None:
        jvm = spark._jvm  # noqa: SLF001 - pyspark's own gateway to Hadoop's FileSystem
        self._path = jvm.org.apache.hadoop.fs.Path
        self._fs = self._path(path).getFileSystem(spark._jsc.hadoopConfiguration())  # noqa: SLF001

    def exists(self, path: str) -> bool:
        return bool(self._fs.exists(self._path(path)))

    def delete(self, path: str) -> None:
        self._fs.delete(self._path(path), True)

    def rename(self, source: str, target: str) -> None:
        if not self._fs.rename(self._path(source), self._path(target)):
            raise WarehouseError(msg("spark.cannot_rename", source=source, target=target))


def _stage_table(spark: SparkSession, files_system: _Files, duck: duckdb.DuckDBPyConnection,
                 lake: Lake, kind: TableKind, files: list[str], replace: bool) -> TableLoad:
    """Write the table's new content beside it (`.loading`); say what it received."""
    path = lake.path(kind)
    if replace or not files_system.exists(path):
        kept = _empty(spark, kind)
    else:
        old = spark.read.schema(spark_schema(kind)).parquet(path)
        kept = old.where(~old[SOURCE_COLUMN].isin(files))
    new = _workspace_rows(spark, duck, kind)
    id_field = ID_FIELD[kind]
    fresh = new.join(kept.select(id_field), id_field, "left_anti") if id_field else new
    kept_rows, staged = kept.count(), new.count()
    kept.unionByName(fresh).write.mode("overwrite").parquet(path + _STAGING)
    rows = spark.read.parquet(path + _STAGING).count()
    return TableLoad(inserted=rows - kept_rows, skipped_duplicate_ids=staged - (rows - kept_rows),
                     replaced=replace, rows=rows)


def _swap(files_system: _Files, paths: list[str]) -> None:
    """Each staged folder takes its table's place (the old one is deleted last)."""
    for path in paths:
        if files_system.exists(path):
            files_system.rename(path, path + _OLD)
        files_system.rename(path + _STAGING, path)
        files_system.delete(path + _OLD)


def load_tables(duck: duckdb.DuckDBPyConnection, url: str, files: list[str],
                tables: Collection[TableKind], replace: Collection[TableKind],
                schema: str = "public") -> dict[str, TableLoad]:
    """Copy `tables` (those the files filled) from the workspace into the lake at `url`."""
    lake = parse_url(url, schema)
    spark = session(lake.master)
    try:
        files_system = _Files(spark, lake.root)
        loaded: dict[str, TableLoad] = {}
        staged: list[str] = []
        for kind in TABLE_COLUMNS:
            if kind in tables:
                loaded[kind.value] = _stage_table(spark, files_system, duck, lake, kind, files,
                                                  kind in replace)
            elif files_system.exists(lake.path(kind)):
                continue
            else:  # every declared table exists, empty when no file filled it
                _empty(spark, kind).write.mode("overwrite").parquet(lake.path(kind) + _STAGING)
            staged.append(lake.path(kind))
        _swap(files_system, staged)
        return loaded
    except WarehouseError:
        raise
    except Exception as exc:
        raise WarehouseError(msg("spark.load_refused", reason=reason(exc))) from None


def _empty(spark: SparkSession, kind: TableKind) -> DataFrame:
    return spark.createDataFrame([], spark_schema(kind))
