"""A page script served on its own renders nothing (SECURITY.md, "Pages render nothing when
served alone").

On a fresh server Streamlit 1.67 serves every `pages/*.py` at /<file name>,
running it without app.py, and so without the login. Each page module only
defines functions, so such a request must show no uploader and no figure.
This must be the first request the server sees, hence a server of its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import ROOT, start_app, wait_idle

PAGE_SCRIPTS = sorted(p.stem for p in (ROOT / "pages").glob("*_page.py"))
# One per page URL, for the first deep link of a fresh server (kpi/ui/handover.py).
HANDOVER_SCRIPTS = sorted(p for p in (ROOT / "pages").glob("*.py")
                          if not p.stem.endswith("_page") and p.stem != "__init__")


@pytest.fixture(scope="module")
def fresh_server() -> Iterator[str]:
    url, process = start_app()
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_page_files_only_define_functions() -> None:
    """Imports, functions, constants and a docstring: nothing that draws at import."""
    allowed = (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef)
    for name in PAGE_SCRIPTS:
        tree = ast.parse((ROOT / "pages" / f"{name}.py").read_text())
        for node in tree.body:
            is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            is_constant = isinstance(node, ast.Assign | ast.AnnAssign) and not any(
                isinstance(n, ast.Call) and not _is_pure_call(n) for n in ast.walk(node))
            assert isinstance(node, allowed) or is_docstring or is_constant, (
                name, ast.unparse(node)[:80])


def test_handover_scripts_only_hand_the_request_to_app_py() -> None:
    """They run app.py (its login first), nothing else: a docstring, one import, one call."""
    assert HANDOVER_SCRIPTS
    for path in HANDOVER_SCRIPTS:
        body = ast.parse(path.read_text()).body
        statements = [ast.unparse(node) for node in body
                      if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
        assert statements == ["from kpi.ui.handover import run_app", "run_app()"], path.name


def _is_pure_call(call: ast.Call) -> bool:
    """Calls allowed in a constant: building paths and tuples, never streamlit."""
    return isinstance(call.func, ast.Attribute | ast.Name) and "st" not in ast.unparse(
        call.func).split(".")[:1]


def test_page_scripts_served_directly_render_nothing(fresh_server: str, page) -> None:
    assert "data_page" in PAGE_SCRIPTS
    for name in ["data_page", *[n for n in PAGE_SCRIPTS if n != "data_page"]]:
        page.goto(f"{fresh_server}/{name}")
        wait_idle(page)
        main = page.locator("[data-testid='stMain']")
        assert page.locator("[data-testid='stFileUploader']").count() == 0, name
        assert page.locator("[data-testid='stMetric']").count() == 0, name
        assert page.locator(".vega-embed").count() == 0, name
        assert "€" not in main.inner_text(), name


def test_the_script_list_is_not_empty() -> None:
    assert len(PAGE_SCRIPTS) >= 7 and all(Path(ROOT / "pages" / f"{n}.py").exists()
                                          for n in PAGE_SCRIPTS)
