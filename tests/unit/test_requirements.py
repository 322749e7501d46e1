"""Every package the code imports is pinned (`==`), so an install is the one that was tested."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions, version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [*(ROOT / "kpi").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py",
           ROOT / "serve.py"]
TOOLS = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py"),
         *(ROOT / "data").rglob("*.py")]
# Our own packages, and modules a script imports from beside it (`from hostile_inputs import`).
OURS = {p.relative_to(ROOT).parts[0] for p in PRODUCT + TOOLS} | {p.stem for p in PRODUCT + TOOLS}


def _imports(paths: list[Path]) -> set[str]:
    """Top-level modules imported anywhere in `paths` (in functions too), stdlib and ours left out."""
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - OURS


def _normalise(name: str) -> str:
    """A distribution's name as pip compares it (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(path: Path) -> dict[str, str]:
    """`name==version` lines of a requirements file and of the files it includes (`-r`)."""
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            pins |= _pins(path.parent / line[3:].strip())
        elif line:
            name, sep, pinned = line.partition("==")
            assert sep and pinned.strip(), f"{path.name}: {line!r} is not pinned with =="
            pins[_normalise(name)] = pinned.strip()
    return pins


def _unpinned(modules: set[str], pins: dict[str, str]) -> list[str]:
    distributions = packages_distributions()
    return sorted(m for m in modules
                  if not any(_normalise(d) in pins for d in distributions.get(m, [m])))




# Engines the product imports only when a source URL names them, each pinned in its own
# file so the app's runtime install does not pull them (pyspark is ~400 MB).
OPTIONAL = {"pyspark": "requirements-spark.txt"}


def test_every_package_the_product_imports_is_pinned_in_requirements_txt() -> None:
    modules = _imports(PRODUCT)
    assert {"streamlit", "duckdb", "yaml", "jwt", "pydantic_settings"} <= modules  # parsed
    assert _unpinned(modules - set(OPTIONAL), _pins(ROOT / "requirements.txt")) == []


@pytest.mark.parametrize(("module", "file"), OPTIONAL.items())
def test_an_optional_engine_is_pinned_apart_and_installed_for_the_tests(module: str,
                                                                      file: str) -> None:
    assert _unpinned({module}, _pins(ROOT / file)) == []
    assert _unpinned({module}, _pins(ROOT / "requirements.txt")) == [module]
    assert _unpinned({module}, _pins(ROOT / "requirements-dev.txt")) == []


def test_every_package_tests_and_benchmarks_import_is_pinned_for_development() -> None:
    assert _unpinned(_imports(TOOLS), _pins(ROOT / "requirements-dev.txt")) == []


@pytest.mark.parametrize("file", ["requirements.txt", "requirements-spark.txt",
                                  "requirements-dev.txt"])
def test_the_pins_are_what_the_tests_run_on(file: str) -> None:
    pins = _pins(ROOT / file)
    assert {name: version(name) for name in pins} == pins


def test_an_unpinned_line_is_refused(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("streamlit==1.67.0\nPyYAML\n")
    with pytest.raises(AssertionError, match="PyYAML"):
        _pins(tmp_path / "requirements.txt")
