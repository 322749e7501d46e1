"""`python -m kpi load --to spark+local://...` and `report --source` on a real local Spark.

In-process through kpi.__main__.main, on the test session's Spark context (the
URL's `spark+local://` finds it running). The error cases check the exit code
and the one-line message, with no traceback.
"""

from __future__ import annotations

import json
import sys

import pytest
from equivalence import DEALS, MORE, run

from kpi.__main__ import EXIT_BAD_INPUT
from kpi.warehouse.spark import session


@pytest.fixture
def lake(spark, tmp_path) -> str:
    return f"spark+local://?lake={tmp_path / 'lake'}"


def deal_rows(url: str) -> list[tuple]:
    lake = url.partition("?lake=")[2]
    rows = session("local[2]").read.parquet(f"{lake}/public/deals").collect()
    return sorted((row.deal_id, row.amount) for row in rows)


@pytest.fixture
def files(tmp_path):
    deals, more = tmp_path / "deals.csv", tmp_path / "more.csv"
    deals.write_text(DEALS, encoding="utf-8")
    more.write_text(MORE, encoding="utf-8")
    return str(deals), str(more)


def test_load_is_idempotent_appends_and_skips_known_ids(capsys, lake, files) -> None:
    deals, more = files
    for _ in range(2):
        code, out, _ = run(capsys, "load", "--to", lake, deals)
        assert code == 0
    assert json.loads(out)["load"]["tables"]["deals"] == {
        "inserted": 4, "skipped_duplicate_ids": 0, "replaced": False, "rows": 4}
    code, out, _ = run(capsys, "load", "--to", lake, more)
    # D1 came with deals.csv already: more.csv's D1 is skipped, as the workspace rejects it.
    assert json.loads(out)["load"]["tables"]["deals"] == {
        "inserted": 1, "skipped_duplicate_ids": 1, "replaced": False, "rows": 5}
    assert deal_rows(lake) == [("D1", 1000.0), ("D2", 3000.0), ("D3", 500.0), ("D4", 700.0),
                               ("D5", 200.0)]
    code, out, _ = run(capsys, "load", "--to", lake, "--replace", "deals", more)
    assert json.loads(out)["load"]["tables"]["deals"]["replaced"] is True
    assert deal_rows(lake) == [("D1", 999.0), ("D5", 200.0)]
    # The report reads what was loaded: 999 + 200 won in March 2025.
    code, out, _ = run(capsys, "report", "--source", lake, "--from", "2025-03-01",
                       "--to", "2025-03-31")
    assert code == 0, out
    report = json.loads(out)
    assert report["import"] == [] and report["pipeline"]["won"] == 2
    assert report["pipeline"]["won_revenue"] == pytest.approx(1199.0, rel=1e-9)


@pytest.mark.parametrize(("url", "says"), [
    ("spark://nohost?lake=/tmp/x", "spark://HOST:PORT?lake=PATH"),
    ("spark://host:notaport?lake=/tmp/x", "spark://HOST:PORT?lake=PATH"),
    ("spark+local://", "needs the lake's folder"),
    ("mysql://kpi:s3cret@localhost/kpi", "must start with postgresql://, spark://"),
])
def test_bad_url_exits_2_with_one_line(capsys, files, url, says) -> None:
    for args in (["load", "--to", url, files[0]], ["report", "--source", url]):
        code, out, err = run(capsys, *args)
        assert code == EXIT_BAD_INPUT
        assert err.startswith("error: ") and says in err and err.count("\n") == 1, err
        assert "s3cret" not in err + out and "Traceback" not in err


def test_a_lake_without_the_tables_is_a_clear_message(capsys, lake) -> None:
    code, _, err = run(capsys, "report", "--source", lake)
    assert code == EXIT_BAD_INPUT and err.count("\n") == 1
    assert "the lake has no deals table at " in err and "kpi load" in err


def test_missing_pyspark_is_said(capsys, files, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # `import` raises ImportError
    code, _, err = run(capsys, "load", "--to", "spark+local://?lake=/tmp/x", files[0])
    assert code == EXIT_BAD_INPUT
    assert err == "error: pyspark is not installed: pip install -r requirements-spark.txt\n"
