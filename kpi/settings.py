"""The environment variables the product reads, in one object (the README lists them).

Every read of the environment in `kpi/`, `app.py` and `serve.py` goes through
`Settings`, so a variable's name, default and clean-up (a blank value is
unset) are declared once. `current()` reads the environment when called:
tests that set a variable with `monkeypatch.setenv` see it, and a caller
may pass its own `Settings(...)` instead. Streamlit's secrets are not here:
they come from Streamlit (`kpi/ui/auth.py`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AUTH_CONFIG = "KPI_AUTH_CONFIG"
AUTH_STATE = "KPI_AUTH_STATE"
WORKSPACES_DIR = "KPI_WORKSPACES_DIR"
DOCS_URL = "KPI_DOCS_URL"
ARROW_MEMORY_POOL = "ARROW_DEFAULT_MEMORY_POOL"
SOURCE_URL = "KPI_SOURCE_URL"
SOURCE_SCHEMA = "KPI_SOURCE_SCHEMA"
SOURCE_TIMEOUT = "KPI_SOURCE_TIMEOUT"


def _env(name: str) -> object:
    """A field read from the variable `name` (or given by its Python name in code)."""
    return Field(default=None, validation_alias=AliasChoices(name))


class Settings(BaseSettings):
    """What the environment configures; None where the variable is unset or blank."""

    model_config = SettingsConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    # Hosted mode's login configuration, a YAML file (wins over Streamlit's secrets).
    auth_config: Path | None = _env(AUTH_CONFIG)
    # Failed logins and refused cookies (default: beside the snapshots).
    auth_state: Path | None = _env(AUTH_STATE)
    # Snapshots and drafts (default: `workspaces/` beside app.py).
    workspaces_dir: Path | None = _env(WORKSPACES_DIR)
    # Where the pages' "How it is computed" links point (default: the in-app page).
    docs_url: str | None = _env(DOCS_URL)
    # Arrow's allocator, when the operator chooses one (kpi/ingest/read.py).
    arrow_memory_pool: str | None = _env(ARROW_MEMORY_POOL)
    # Warehouse mode: every page reads this PostgreSQL URL's schema instead of uploads
    # (wins over Streamlit's `[source]` secrets; docs/scale-out.md). Never logged.
    source_url: str | None = Field(default=None, validation_alias=AliasChoices(SOURCE_URL),
                                   repr=False)
    source_schema: str | None = _env(SOURCE_SCHEMA)
    # Seconds a warehouse query may run before the page says it timed out (text here:
    # kpi/source.py reads it, so a bad value is a clear message, not a crash at import).
    source_timeout: str | None = _env(SOURCE_TIMEOUT)

    @field_validator("auth_config", "auth_state", "workspaces_dir", "docs_url", "source_url",
                     "source_schema", "source_timeout", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        """`KPI_AUTH_CONFIG=` (or spaces) means unset, as it did before this object."""
        if isinstance(value, str):
            value = value.strip()
            return value or None
        return value


def current() -> Settings:
    """The environment as it is now (a handful of variables: cheap to read again)."""
    return Settings()
