"""`python -m benchmarks.transpile`: the cost of compiling one report's SQL (docs/scale-out.md).

Records every query `compute_report` sends (a recording Engine over the demo
workspace), then times, median of N: kpi.warehouse.dialect.to_postgres cold
(cache cleared) and cached, and kpi.warehouse.dialect.to_spark cold, which
also says which queries it could not write.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from typing import Any

import sqlglot

from kpi.metrics import compute_report
from kpi.schema import Filters
from kpi.warehouse.dialect import to_postgres, to_spark
from kpi.workspace import Workspace

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"


class _Recorder:
    """An Engine that runs on DuckDB and keeps each query text."""

    def __init__(self, con: Any) -> None:
        self.con, self.queries = con, []

    def execute(self, query: str, parameters: Any = None, /) -> Any:
        self.queries.append(query)
        return self.con.execute(query, parameters)


def report_queries(*filter_sets: Filters) -> list[str]:
    """The distinct query texts of the reports (default filters if none given) on the demo."""
    workspace = Workspace(one_shot=True)
    for path in sorted(DEMO.glob("*.csv")):
        workspace.add_file(path.read_bytes(), path.name)
    recorder = _Recorder(workspace.con)
    for filters in filter_sets or (Filters(),):
        compute_report(recorder, filters)
    return list(dict.fromkeys(recorder.queries))


def _median_ms(action: Any, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _spark_failures(queries: list[str]) -> list[str]:
    failed = []
    for query in queries:
        try:
            to_spark(query)
        except sqlglot.errors.SqlglotError as exc:
            failed.append(f"{query.split()[0:4]}: {str(exc).splitlines()[0]}")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.transpile")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    queries = report_queries()

    def cold() -> None:
        to_postgres.cache_clear()
        for query in queries:
            to_postgres(query)

    def cached() -> None:
        for query in queries:
            to_postgres(query)

    def spark() -> None:
        to_spark.cache_clear()
        for query in queries:
            to_spark(query)

    print(f"{len(queries)} distinct queries in one report")
    print(f"PostgreSQL, cold:   {_median_ms(cold, args.repeat):8.1f} ms per report")
    print(f"PostgreSQL, cached: {_median_ms(cached, args.repeat):8.3f} ms per report")
    print(f"Spark, cold:        {_median_ms(spark, args.repeat):8.1f} ms per report")
    failures = _spark_failures(queries)
    print(f"Spark: {len(queries) - len(failures)}/{len(queries)} written without an "
          "unsupported construct" + "".join(f"\n  {line}" for line in failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
