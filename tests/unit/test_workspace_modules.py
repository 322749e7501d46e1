"""The workspace package keeps one job per module and leans on the importer's public API.

Read from the source (ast), so a new import that breaks the layering fails
here before it fails at run time.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path
from types import ModuleType

import kpi.ingest

KPI = Path(__file__).resolve().parents[2] / "kpi"


def _module_name(path: Path) -> str:
    parts = path.relative_to(KPI.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The kpi modules a file imports (`from package import submodule` names the submodule)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kpi"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("kpi"):
            package = importlib.import_module(node.module)
            for alias in node.names:
                is_module = isinstance(getattr(package, alias.name, None), ModuleType)
                found.add(f"{node.module}.{alias.name}" if is_module else node.module)
    return found


WORKSPACE = {_module_name(p): p for p in sorted((KPI / "workspace").glob("*.py"))}


def test_every_workspace_module_says_its_job() -> None:
    assert set(WORKSPACE) >= {"kpi.workspace", "kpi.workspace.storage", "kpi.workspace.uploads",
                              "kpi.workspace.mappings", "kpi.workspace.snapshot",
                              "kpi.workspace.transaction"}
    for name, path in WORKSPACE.items():
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring and len(docstring) > 40, name


def test_the_workspace_uses_only_the_importers_public_api() -> None:
    for name, path in WORKSPACE.items():
        inner = {m for m in _imports(path) if m.startswith("kpi.ingest.")}
        assert not inner, f"{name} imports {sorted(inner)}: expose it in kpi/ingest/__init__.py"
    for name in ("insert_new_rows", "name_owners", "dominant_reject", "all_rejected_message"):
        assert name in kpi.ingest.__all__


def test_the_importer_knows_no_workspace() -> None:
    for path in (KPI / "ingest").rglob("*.py"):
        assert not {m for m in _imports(path) if m.startswith("kpi.workspace")}, path


def test_no_import_cycle_inside_the_workspace() -> None:
    graph = {name: {m for m in _imports(path) if m in WORKSPACE} - {name}
             for name, path in WORKSPACE.items()}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for step in graph[start] - seen:
            if step == target or reaches(step, target, seen | {step}):
                return True
        return False

    assert not [name for name in graph if reaches(name, name, set())]


def test_the_importers_api_shadows_none_of_its_modules() -> None:
    # `from kpi.ingest import read as read_module` must give the module, not a
    # function the package exports under the same name.
    for path in (KPI / "ingest").glob("*.py"):
        if path.stem != "__init__":
            importlib.import_module(f"kpi.ingest.{path.stem}")
            assert isinstance(getattr(kpi.ingest, path.stem), ModuleType), path.stem
