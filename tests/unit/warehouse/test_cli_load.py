"""`python -m kpi load --to URL` and `report --source URL` against a real PostgreSQL.

In-process through kpi.__main__.main (the same code as the subprocess, much
faster); the error cases check the exit code, the one-line message and that no
traceback and no password is printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from equivalence import DEALS, MORE, run

from kpi.__main__ import EXIT_BAD_INPUT

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "data" / "demo"
def rows(url: str, schema: str, sql: str) -> list[tuple]:
    with psycopg.connect(url) as con:
        return con.execute(sql.replace("SCHEMA", f'"{schema}"')).fetchall()


@pytest.fixture
def deals(tmp_path) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    return path


def test_load_twice_is_idempotent(capsys, postgres, schema, deals) -> None:
    for _ in range(2):
        code, out, _ = run(capsys, "load", "--to", postgres, "--schema", schema, str(deals))
        assert code == 0
    load = json.loads(out)["load"]
    assert load["tables"]["deals"] == {"inserted": 4, "skipped_duplicate_ids": 0,
                                       "replaced": False, "rows": 4}
    assert rows(postgres, schema, "SELECT deal_id, amount FROM SCHEMA.deals ORDER BY 1") == [
        ("D1", 1000.0), ("D2", 3000.0), ("D3", 500.0), ("D4", 700.0)]
    # Every declared table exists, empty when no file filled it.
    assert rows(postgres, schema, "SELECT count(*) FROM SCHEMA.proposals") == [(0,)]


def test_append_keeps_other_files_and_skips_their_ids(capsys, postgres, schema, deals,
                                                      tmp_path) -> None:
    more = tmp_path / "more.csv"
    more.write_text(MORE, encoding="utf-8")
    run(capsys, "load", "--to", postgres, "--schema", schema, str(deals))
    code, out, _ = run(capsys, "load", "--to", postgres, "--schema", schema, str(more))
    assert code == 0
    # D1 came with deals.csv already: more.csv's D1 is skipped, as the workspace rejects it.
    assert json.loads(out)["load"]["tables"]["deals"] == {
        "inserted": 1, "skipped_duplicate_ids": 1, "replaced": False, "rows": 5}
    assert rows(postgres, schema, "SELECT deal_id, amount FROM SCHEMA.deals WHERE deal_id "
                "IN ('D1', 'D5') ORDER BY 1") == [("D1", 1000.0), ("D5", 200.0)]


def test_replace_drops_rows_of_other_files(capsys, postgres, schema, deals, tmp_path) -> None:
    more = tmp_path / "more.csv"
    more.write_text(MORE, encoding="utf-8")
    run(capsys, "load", "--to", postgres, "--schema", schema, str(deals))
    code, out, _ = run(capsys, "load", "--to", postgres, "--schema", schema, "--replace",
                       "deals", str(more))
    assert code == 0
    assert json.loads(out)["load"]["tables"]["deals"]["replaced"] is True
    assert rows(postgres, schema, "SELECT deal_id, amount FROM SCHEMA.deals ORDER BY 1") == [
        ("D1", 999.0), ("D5", 200.0)]


def test_report_from_the_warehouse_equals_the_report_from_files(capsys, postgres,
                                                                schema) -> None:
    files = [str(path) for path in sorted(DEMO.glob("*.csv"))]
    assert run(capsys, "load", "--to", postgres, "--schema", schema, *files)[0] == 0
    filters = ["--from", "2025-03-01", "--to", "2025-09-30", "--channel", "linkedin"]
    code, out, _ = run(capsys, "report", "--source", postgres, "--schema", schema, *filters)
    assert code == 0
    from_source = json.loads(out)
    from_files = json.loads(run(capsys, "report", *files, *filters)[1])
    assert from_source["import"] == []
    for family in ("filters", "tables", "social_selling", "content", "channel_focus"):
        assert from_source[family] == from_files[family], family
    for key, value in from_files["pipeline"].items():
        assert from_source["pipeline"][key] == pytest.approx(value, rel=1e-9), key
    assert from_files["pipeline"]["won"] > 0
    # The command as a user runs it (a subprocess, pandas kept out) prints the same JSON.
    command = subprocess.run([sys.executable, "-m", "kpi", "report", "--source", postgres,
                              "--schema", schema, *filters], cwd=ROOT, capture_output=True,
                             text=True, timeout=120)
    assert command.returncode == 0, command.stderr
    assert json.loads(command.stdout) == from_source


def test_load_applies_column_maps(capsys, postgres, schema, tmp_path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(DEALS.replace("amount", "Zorglub"), encoding="utf-8")  # refused unmapped
    code, _, _ = run(capsys, "load", "--to", postgres, "--schema", schema,
                     "--map", "Zorglub=amount", str(path))
    assert code == 0
    assert rows(postgres, schema, "SELECT sum(amount) FROM SCHEMA.deals") == [(5200.0,)]


def test_load_reports_rejected_rows(capsys, postgres, schema, tmp_path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS + "D9,Ana,LinkedIn,won,lots,2025-03-01,2025-03-11\n", encoding="utf-8")
    code, out, _ = run(capsys, "load", "--to", postgres, "--schema", schema, str(path))
    assert code == 0
    report = json.loads(out)
    assert report["import"][0]["rows_rejected"] == 1
    assert report["import"][0]["rejects"][0]["row"] == 6
    assert report["import"][0]["rejects"][0]["column"] == "amount"
    assert report["load"]["tables"]["deals"]["rows"] == 4


@pytest.mark.parametrize(("url", "says"), [
    ("mysql://kpi:s3cret@localhost/kpi", "must start with postgresql://"),
    ("postgresql://kpi:s3cret@/kpi?host=/nonexistent-kpi-socket", "cannot connect"),
    ("postgresql://kpi:s3cret@/kpi?host=/tmp&port=notaport", "cannot connect"),
])
def test_bad_or_unreachable_url_exits_2_without_secret(capsys, deals, url, says) -> None:
    for args in (["load", "--to", url, str(deals)], ["report", "--source", url]):
        code, out, err = run(capsys, *args)
        assert code == EXIT_BAD_INPUT
        assert err.startswith("error: ") and says in err and err.count("\n") == 1
        assert "s3cret" not in err + out and "Traceback" not in err


def test_missing_tables_are_a_clear_message(capsys, postgres, schema) -> None:
    code, _, err = run(capsys, "report", "--source", postgres, "--schema", schema)
    assert code == EXIT_BAD_INPUT
    assert f"schema '{schema}' lacks a KPI table" in err and "kpi load" in err


def test_source_and_files_together_are_refused(capsys, deals) -> None:
    code, _, err = run(capsys, "report", "--source", "postgresql://x@/y", str(deals))
    assert code == EXIT_BAD_INPUT and "not both" in err
