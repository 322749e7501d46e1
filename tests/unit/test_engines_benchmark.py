"""`python -m benchmarks.engines` does not rot: a tiny DuckDB run, and the generated data.

PostgreSQL and Spark are left out here (their figures are compared with
DuckDB's in tests/unit/warehouse/); the benchmark itself checks that every
engine's pages equal DuckDB's (`equals_duckdb`).
"""

from __future__ import annotations

import json

import duckdb

from benchmarks import engines, generate


def test_the_generated_lake_has_the_asked_sizes_and_the_generator_values(tmp_path) -> None:
    lake = engines.generate_lake(tmp_path, 2000)
    con = duckdb.connect()

    def one(sql: str) -> tuple:
        return con.execute(sql.replace("T/", f"{lake}/{engines.SCHEMA}/")).fetchone()

    assert one("SELECT count(*), count(DISTINCT deal_id) FROM 'T/deals/*.parquet'") == (2000, 2000)
    assert one("SELECT count(*) FROM 'T/leads/*.parquet'") == (2000,)
    assert one("SELECT count(*) FROM 'T/content/*.parquet'") == (200,)
    assert one("SELECT count(*) FROM 'T/compensation/*.parquet'") == (25 * 48,)
    assert one("SELECT count(*) FROM 'T/proposals/*.parquet'") == (0,)
    owners = {row[0] for row in con.execute(
        f"SELECT DISTINCT owner FROM '{lake}/{engines.SCHEMA}/deals/*.parquet'").fetchall()}
    assert owners == set(generate.REPS)
    # Deterministic: a second generation writes the same rows.
    again = engines.generate_lake(tmp_path / "again", 2000)
    assert one(f"SELECT count(*) FROM (SELECT * FROM 'T/deals/*.parquet' EXCEPT SELECT * FROM "
               f"'{again}/{engines.SCHEMA}/deals/*.parquet')") == (0,)


def test_a_tiny_duckdb_run_prints_its_timings(capsys) -> None:
    assert engines.main(["--deals", "1000", "--engines", "duckdb", "--repeat", "1"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["deals"] == 1000 and list(result["engines"]) == ["duckdb"]
    for page in ("overview", "channels"):
        timing = result["engines"]["duckdb"][page]
        assert timing["runs"] == 1 and timing["min_s"] <= timing["median_s"] <= timing["max_s"]
