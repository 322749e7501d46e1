"""kpi.settings: the documented variable names, blank means unset, and one object reads them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kpi import settings
from kpi.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
VARIABLES = ("KPI_AUTH_CONFIG", "KPI_AUTH_STATE", "KPI_WORKSPACES_DIR", "KPI_DOCS_URL",
             "ARROW_DEFAULT_MEMORY_POOL", "KPI_SOURCE_URL", "KPI_SOURCE_SCHEMA",
             "KPI_SOURCE_TIMEOUT")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_each_documented_variable_fills_its_setting(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("KPI_AUTH_CONFIG", "/etc/kpi/auth.yaml")
    clean_env.setenv("KPI_AUTH_STATE", "/run/kpi/state.json")
    clean_env.setenv("KPI_WORKSPACES_DIR", "/srv/kpi")
    clean_env.setenv("KPI_DOCS_URL", "https://example.org/kpis")
    clean_env.setenv("ARROW_DEFAULT_MEMORY_POOL", "jemalloc")
    clean_env.setenv("KPI_SOURCE_URL", "postgresql://kpi:s3cret@db.example/crm")
    clean_env.setenv("KPI_SOURCE_SCHEMA", "sales")
    clean_env.setenv("KPI_SOURCE_TIMEOUT", "12.5")
    read = settings.current()
    assert read.auth_config == Path("/etc/kpi/auth.yaml")
    assert read.auth_state == Path("/run/kpi/state.json")
    assert read.workspaces_dir == Path("/srv/kpi")
    assert read.docs_url == "https://example.org/kpis"
    assert read.arrow_memory_pool == "jemalloc"
    assert (read.source_url, read.source_schema, read.source_timeout) == (
        "postgresql://kpi:s3cret@db.example/crm", "sales", "12.5")
    assert "s3cret" not in repr(read)  # the URL's credentials stay out of logs


def test_unset_or_blank_variables_are_none(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("KPI_AUTH_CONFIG", "   ")
    clean_env.setenv("KPI_WORKSPACES_DIR", "")
    read = settings.current()
    assert (read.auth_config, read.auth_state, read.workspaces_dir, read.docs_url,
            read.arrow_memory_pool) == (None, None, None, None, None)


def test_an_explicit_value_wins_over_the_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("KPI_AUTH_CONFIG", "/etc/kpi/auth.yaml")
    assert Settings(auth_config=None).auth_config is None
    assert Settings(auth_config="other.yaml").auth_config == Path("other.yaml")


def test_every_variable_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = {f.validation_alias.choices[0] for f in Settings.model_fields.values()}
    assert names == set(VARIABLES)
    assert not [name for name in names if f"| `{name}` |" not in readme]


def _reads_environment(path: Path) -> list[int]:
    """Lines of `path` that read os.environ or call os.getenv."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
            lines.append(node.lineno)
    return lines


def test_nothing_else_reads_the_environment() -> None:
    sources = [*(ROOT / "kpi").rglob("*.py"), ROOT / "app.py", ROOT / "serve.py"]
    readers = {str(p.relative_to(ROOT)): lines for p in sources
               if p.name != "settings.py" and (lines := _reads_environment(p))}
    assert readers == {}
