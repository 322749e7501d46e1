"""`python -m benchmarks.engines`: a page refresh per engine on the same data (BENCHMARKS.md).

Generates N deals (leads as many, content N/10, 25 reps' packages over four
years) as Parquet with DuckDB SQL, deterministic (a hash of the row number, no
random state), in the canonical tables' columns (kpi.schema). Then, per engine
asked for, times the queries of two pages for the typical filter (18 months,
10 of 25 reps, 5 of 10 channels): the Overview (pipeline with its previous
period) and Channels. Medians and min-max of several runs after one warm-up,
the load average, and whether the engine's figures equal DuckDB's.

- duckdb: the app's engine, tables in memory with the app's column types;
- postgres: a throwaway PostgreSQL (tests/unit/warehouse/pg_cluster.py), loaded
  by `kpi load`'s code (COPY), then ANALYZE;
- spark: local mode (every core) on the Parquet lake as generated.

Not part of `make test` (test_engines_benchmark.py runs a tiny DuckDB one).
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from benchmarks import generate
from benchmarks.sections import typical_filters
from benchmarks.timing import load_average
from kpi.metrics import compute_channels, compute_pipeline, resolve_period
from kpi.schema import TABLE_COLUMNS, Filters, TableKind

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = "bench"
ENGINES = ("duckdb", "postgres", "spark")

# One uniform draw per row and purpose: hash(row, purpose) in [0, 1).
_U = "(hash(i, {k}) % 1000000) / 1000000.0"
# Column expressions per table over `i` (the row number); a column not named is NULL.
# $reps, $channels are the generator's lists (benchmarks/generate.py), $start its first day.
_DEALS = {
    "deal_id": "'D' || i",
    "owner": f"$reps[CAST(floor({_U.format(k=1)} * 25) AS INTEGER) + 1]",
    "channel": f"$channels[CAST(floor({_U.format(k=2)} * 10) AS INTEGER) + 1]",
    "status": f"CASE WHEN {_U.format(k=3)} < 0.35 THEN 'won' WHEN {_U.format(k=3)} < 0.75 "
              "THEN 'lost' ELSE 'open' END",
    "amount": f"round(500 + {_U.format(k=4)} * 49500, 2)",
    "created_at": f"$start + CAST(floor({_U.format(k=5)} * {generate.DAYS}) AS INTEGER)",
    "closed_at": f"CASE WHEN {_U.format(k=3)} < 0.75 THEN $start + CAST(floor("
                 f"{_U.format(k=5)} * {generate.DAYS}) + floor({_U.format(k=6)} * 120) "
                 "AS INTEGER) END",
    "proposal_sent_at": f"CASE WHEN {_U.format(k=7)} < 0.6 THEN $start + CAST(floor("
                        f"{_U.format(k=5)} * {generate.DAYS}) + floor({_U.format(k=8)} * 20) "
                        "AS INTEGER) END",
    "currency": "'EUR'",
}
_LEADS = {
    "lead_id": "'L' || i",
    "created_at": _DEALS["created_at"],
    "owner": _DEALS["owner"],
    "channel": _DEALS["channel"],
    "converted_at": f"CASE WHEN {_U.format(k=9)} < 0.18 THEN $start + CAST(floor("
                    f"{_U.format(k=5)} * {generate.DAYS}) + 14 AS INTEGER) END",
}
_CONTENT = {
    "date": _DEALS["created_at"],
    "owner": _DEALS["owner"],
    "kind": f"['deck_shared', 'article_shared', 'own_post'][CAST(floor({_U.format(k=10)} * 3) "
            "AS INTEGER) + 1]",
    "deal_id": "'D' || (i * 10)",
    "views": f"CAST(floor({_U.format(k=11)} * 900) AS BIGINT)",
    "likes": f"CAST(floor({_U.format(k=12)} * 40) AS BIGINT)",
}
_COMPENSATION = {  # 25 reps x 48 months
    "owner": "$reps[CAST(i % 25 AS INTEGER) + 1]",
    "month": "CAST($start + to_months(CAST(i // 25 AS INTEGER)) AS DATE)",
    "package": f"round(3000 + {_U.format(k=13)} * 6000, 2)",
}


def _rows(kind: TableKind, deals: int) -> tuple[dict[str, str], int]:
    """The generated columns of a table and its row count (0: empty)."""
    return {TableKind.DEALS: (_DEALS, deals), TableKind.LEADS: (_LEADS, deals),
            TableKind.CONTENT: (_CONTENT, max(1, deals // 10)),
            TableKind.COMPENSATION: (_COMPENSATION, 25 * 48)}.get(kind, ({}, 0))


def _select(kind: TableKind, deals: int) -> str:
    """SQL of the table's rows, every canonical column typed as Spark and Parquet store it."""
    columns, count = _rows(kind, deals)
    items = []
    for name, duck_type in TABLE_COLUMNS[kind].items():
        stored = "VARCHAR" if duck_type.startswith("ENUM") else duck_type
        value = columns.get(name, "'bench.parquet'" if name == "source_file" else "NULL")
        items.append(f'CAST({value} AS {stored}) AS "{name}"')
    return f"SELECT {', '.join(items)} FROM range({count}) AS r(i)"


def generate_lake(root: Path, deals: int) -> Path:
    """Every canonical table as Parquet under `root/SCHEMA/<table>/`; returns the lake root."""
    con = duckdb.connect()
    params = {"reps": list(generate.REPS), "channels": [c[2] for c in generate.CHANNELS],
              "start": generate.START}
    for kind in TABLE_COLUMNS:
        folder = root / SCHEMA / kind.value
        folder.mkdir(parents=True, exist_ok=True)
        select = _select(kind, deals)
        wanted = {name: value for name, value in params.items() if f"${name}" in select}
        con.execute(f"COPY ({select}) TO '{folder / 'data.parquet'}' "
                    "(FORMAT parquet, ROW_GROUP_SIZE 1000000)", wanted)
    con.close()
    return root


def duckdb_engine(lake: Path) -> duckdb.DuckDBPyConnection:
    """The lake's tables in an in-memory DuckDB, with the app's column types (ENUMs)."""
    from kpi.workspace import CONNECTION_CONFIG

    con = duckdb.connect(config={**CONNECTION_CONFIG, "memory_limit": "8GB", "threads": 2})
    for kind, columns in TABLE_COLUMNS.items():
        ddl = ", ".join(f'"{name}" {duck_type}' for name, duck_type in columns.items())
        con.execute(f'CREATE TABLE "{kind.value}" ({ddl})')
        con.execute(f"INSERT INTO \"{kind.value}\" SELECT * FROM read_parquet("
                    f"'{lake / SCHEMA / kind.value}/*.parquet')")
    return con


def postgres_engine(lake: Path, duck: duckdb.DuckDBPyConnection) -> tuple[Any, Callable[[], None]]:
    """A throwaway PostgreSQL holding the data (kpi load's COPY), and how to stop it."""
    sys.path.insert(0, str(ROOT / "tests" / "unit" / "warehouse"))
    import pg_cluster

    from kpi.warehouse import PostgresEngine
    from kpi.warehouse.load import load_tables

    reason = pg_cluster.missing_reason()
    if reason:
        raise SystemExit(f"postgres: {reason}")
    cluster = pg_cluster.start_cluster()
    load_tables(duck, cluster.url, ["bench.parquet"], set(TableKind), set(), SCHEMA)
    engine = PostgresEngine(cluster.url, SCHEMA)
    engine.execute("ANALYZE")

    def stop() -> None:
        engine.close()
        pg_cluster.stop_cluster(cluster)

    return engine, stop


def spark_engine(lake: Path) -> Any:
    """Spark in local mode (every core) on the lake."""
    from kpi.warehouse.spark import SparkEngine, session

    session("local[*]", {"spark.driver.memory": "6g", "spark.ui.enabled": "false"})
    return SparkEngine(f"spark+local://?lake={lake}", SCHEMA)


def pages(filters: Filters) -> dict[str, Callable[[Any], Any]]:
    """The queries of two pages after a filter change, as the pages run them."""
    def overview(con: Any) -> Any:
        return compute_pipeline(con, resolve_period(con, filters), with_previous=True)

    def channels(con: Any) -> Any:
        return compute_channels(con, filters)

    return {"overview": overview, "channels": channels}


def _same(a: Any, b: Any) -> bool:
    """Equal figures: floats to 1e-9 relative (engines add in different orders)."""
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=1e-9)
    return a == b


def time_pages(engine: Any, repeat: int, reference: dict[str, Any] | None
               ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Per page: median, min, max of `repeat` runs after one warm-up; the last figures."""
    out: dict[str, Any] = {}
    figures: dict[str, Any] = {}
    for name, page in pages(typical_filters()).items():
        figures[name] = page(engine).model_dump(mode="json")  # warm-up (compiles, caches)
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            page(engine)
            runs.append(time.perf_counter() - start)
        out[name] = {"median_s": statistics.median(runs), "min_s": min(runs),
                     "max_s": max(runs), "runs": repeat}
        if reference is not None:
            out[name]["equals_duckdb"] = _same(reference[name], figures[name])
    return out, figures


def run(deals: int, engines: list[str], repeat: int, folder: Path) -> dict[str, Any]:
    """Generate, load and time each engine; the result as a dict (printed as JSON)."""
    result: dict[str, Any] = {"deals": deals, "engines": {}}
    start = time.perf_counter()
    lake = generate_lake(folder, deals)
    result["generate_s"] = time.perf_counter() - start
    start = time.perf_counter()
    duck = duckdb_engine(lake)
    load_s = time.perf_counter() - start
    timings, reference = time_pages(duck, repeat, None)
    result["engines"]["duckdb"] = {"load_s": load_s, **timings, "load_average": load_average()}
    for name in engines:
        if name == "duckdb":
            continue
        start = time.perf_counter()
        if name == "postgres":
            engine, stop = postgres_engine(lake, duck)
        else:
            engine, stop = spark_engine(lake), lambda: None
        load_s = time.perf_counter() - start
        try:
            timings, _ = time_pages(engine, repeat, reference)
        finally:
            stop()
        result["engines"][name] = {"load_s": load_s, **timings, "load_average": load_average()}
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engines")
    parser.add_argument("--deals", type=generate.parse_size, default=generate.parse_size("5m"))
    parser.add_argument("--engines", default="duckdb,postgres",
                        help=f"comma-separated, among {', '.join(ENGINES)}")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--dir", type=Path, help="where the Parquet goes (default: a temp dir)")
    args = parser.parse_args(argv)
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]
    if unknown := set(engines) - set(ENGINES):
        parser.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    folder = args.dir or Path(tempfile.mkdtemp(prefix="kpi-engines-"))
    try:
        print(json.dumps(run(args.deals, engines, args.repeat, folder), indent=2), flush=True)
    finally:
        if args.dir is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
