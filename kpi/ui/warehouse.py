"""Warehouse mode in the app: the session's source, and a page's queries on it (docs/scale-out.md).

- `session_source(lang)`: None in upload mode; else this browser session's
  `SourceData` over its own engine (`sources.open_engine`: a PostgreSQL
  connection, or a Spark session of the process's context with its own temp
  views), through st.cache_resource with scope="session": opened on the
  session's first run, closed when the session ends; never one engine shared
  by sessions. An unreachable source or unusable settings: a message, and
  the run stops (the reason goes to the server log, never the URL).
- `reading(workspace, lang)`: around a page's (or the sidebar's) queries: a
  spinner while they run, and a timeout or a lost source becomes a message
  under what the page drew so far. Upload mode: nothing added.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import streamlit as st

from kpi.i18n import format_number, t
from kpi.source import SECRETS_SECTION, SourceConfig, SourceConfigError, SourceData, source_config
from kpi.ui.auth import _secrets_section

log = logging.getLogger(__name__)


def configured() -> SourceConfig | None:
    """The source of this server (environment, else `[source]` secrets); None: uploads."""
    return source_config(secrets_section=_secrets_section(SECRETS_SECTION))


def wanted() -> bool:
    """Whether this server reads a source (a misconfigured one too: session_source says why)."""
    try:
        return configured() is not None
    except SourceConfigError:
        return True


def _open(url: str, schema: str, timeout_s: float) -> SourceData:
    from kpi.warehouse.sources import open_engine  # psycopg, SQLGlot: warehouse mode only

    return SourceData(open_engine(url, schema, timeout_s), schema)


# One per browser session, released (closed) when the session ends.
_opened = st.cache_resource(scope="session", show_spinner=False,
                            on_release=SourceData.close)(_open)


def session_source(lang: str) -> SourceData | None:
    """This session's source in warehouse mode (None in upload mode); stops on failure."""
    from kpi.warehouse import WarehouseError

    try:
        config = configured()
        if config is None:
            return None
        source = _opened(config.url, config.schema, config.timeout_s)
        if source.broken:  # a server restart, a stopped Spark: a new engine
            _opened.clear(config.url, config.schema, config.timeout_s)
            source = _opened(config.url, config.schema, config.timeout_s)
    except SourceConfigError as exc:
        _stop("source.misconfigured", exc, lang)
    except WarehouseError as exc:
        _stop("source.unreachable", exc, lang)
    return source


def _stop(code: str, exc: Exception, lang: str) -> Any:
    log.warning("warehouse mode: %s", exc)  # our messages never hold the URL
    st.error(t(code, lang), icon=":material/cloud_off:")
    st.stop()


@contextlib.contextmanager
def reading(workspace: object, lang: str, stop: bool = False) -> Iterator[None]:
    """Queries on the source: a spinner meanwhile; a timeout or failure said, not raised.

    The page keeps what it drew before the failing query. `stop`: nothing can
    be drawn without these answers (the sidebar's options), so the run ends
    after the message.
    """
    if not isinstance(workspace, SourceData):
        yield
        return
    from kpi.warehouse import WarehouseError, WarehouseTimeout

    try:
        with st.spinner(t("source.reading", lang)):
            yield
    except WarehouseTimeout as exc:
        log.warning("warehouse mode: %s", exc)
        seconds = getattr(workspace.con, "timeout_s", None) or 0
        st.warning(t("source.timeout", lang, seconds=format_number(seconds, lang)),
                   icon=":material/hourglass_disabled:")
    except WarehouseError as exc:
        log.warning("warehouse mode: %s", exc)
        st.warning(t("source.failed", lang), icon=":material/cloud_off:")
    else:
        return
    if stop:
        st.stop()
