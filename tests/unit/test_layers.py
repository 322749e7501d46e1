"""The layers stay apart (ARCHITECTURE.md, "Map") and the code cites only the project's docs.

- Streamlit is imported in `kpi/ui/` and nowhere else in `kpi/`;
- UI code (`kpi/ui/`, `pages/`, `app.py`, `serve.py`) runs no query: it calls a
  function of `kpi/` that says what it answers;
- no tracked file cites a document the repository does not hold, nor a file of docs/
  that is not there.

Each check is tried first on a snippet that breaks the rule, so a checker that
finds nothing cannot pass for a clean tree.
"""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KPI = ROOT / "kpi"
UI_CODE = [*(KPI / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py",
           ROOT / "serve.py"]

# A DuckDB call that runs SQL, and SQL text (written in capitals in this code base,
# so "Select a file from your computer" is not taken for a query).
QUERY_METHODS = frozenset({"execute", "executemany", "sql", "query", "fetchall", "fetchone",
                           "fetchmany", "fetchdf", "fetch_df", "fetch_arrow_table"})
SQL_TEXT = re.compile(r"\bSELECT\b[\s\S]*\bFROM\b|\bFROM\s+\"?\w+\"?\s+WHERE\b|"
                      r"\bINSERT\s+INTO\b|\bDELETE\s+FROM\b|\bUPDATE\s+\S+\s+SET\b|"
                      r"\b(CREATE|DROP|ALTER)\s+(TEMP\s+)?(TABLE|VIEW)\b")
# Documents that live outside the repository (a clone does not have them). Spelled in
# pieces so that this file does not cite them itself.
OUTSIDE_DOCS = ("DESIGN" + ".md", "KPI_" + "SPEC")


def streamlit_imports(source: str) -> list[int]:
    """Lines importing streamlit (or one of its modules)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
            lines.append(node.lineno)
    return lines


def _is_query(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in QUERY_METHODS
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)
            and SQL_TEXT.search(node.value) is not None)


def queries(source: str) -> list[int]:
    """Lines that run a query or hold SQL text."""
    return sorted({node.lineno for node in ast.walk(ast.parse(source)) if _is_query(node)})


def test_the_checkers_find_what_they_look_for() -> None:
    assert streamlit_imports("import streamlit as st\nfrom streamlit.x import y\n") == [1, 2]
    assert queries('rows = ws.con.execute("SELECT 1").fetchall()\n') == [1]
    assert queries('SQL = """SELECT DISTINCT channel\n  FROM deals"""\n') == [1]
    assert queries('con.sql(q)\n') == [1]
    assert queries('t("Select a file from your computer")\nst.query_params.get_all("x")\n') == []


def test_streamlit_is_imported_only_in_kpi_ui() -> None:
    found = {str(path.relative_to(ROOT)): lines for path in KPI.rglob("*.py")
             if (KPI / "ui") not in path.parents
             and (lines := streamlit_imports(path.read_text(encoding="utf-8")))}
    assert found == {}


@pytest.mark.parametrize("path", UI_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_ui_code_runs_no_query(path: Path) -> None:
    assert queries(path.read_text(encoding="utf-8")) == [], (
        f"{path.relative_to(ROOT)}: put the query in kpi/ (kpi/catalog.py, kpi/metrics/) "
        "behind a function named for what it answers")


def tracked_files() -> list[Path]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                                check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    return [ROOT / name for name in listed if name]


def test_no_tracked_file_cites_a_document_outside_the_repository() -> None:
    citing = {}
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue  # binary data, or deleted in the working tree
        if names := [name for name in OUTSIDE_DOCS if name in text]:
            citing[str(path.relative_to(ROOT))] = names
    assert citing == {}, "write it in docs/ (or SECURITY.md, ARCHITECTURE.md) and cite that"


# A document of docs/ named in a tracked file: `docs/kpis/pipeline.md`, `docs/tables.md`.
CITED_DOC = re.compile(r"\bdocs/[\w./-]*?\.md\b")


def test_every_cited_project_document_exists() -> None:
    assert CITED_DOC.findall("see docs/kpis/deal-ageing.md, and docs/tables.md.") == [
        "docs/kpis/deal-ageing.md", "docs/tables.md"]
    missing = {}
    for path in tracked_files():
        if path.name == "CHANGELOG.md":
            continue  # history names documents as they were
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        if gone := sorted({d for d in CITED_DOC.findall(text) if not (ROOT / d).is_file()}):
            missing[str(path.relative_to(ROOT))] = gone
    assert missing == {}, "cite a document docs/ holds"
