"""The Publish page (managers, hosted mode): publish this session's workspace for
leadership, see the last snapshots, make an earlier one current again.

Registered by app.py with `url_path="publish"` for managers only
(`auth.may_open`); it checks the role again before drawing.

Each run remembers which snapshot was current when the page was drawn; a
publish click compares it with the current one (`snapshots.PublishConflict`),
so a manager whose page was out of date is told who published meanwhile
instead of silently replacing it.
"""

from __future__ import annotations

import logging
from typing import NoReturn

import streamlit as st

from kpi import snapshots
from kpi.i18n import format_number, t
from kpi.schema import TableKind
from kpi.source import SourceData
from kpi.ui import auth
from kpi.ui.context import PageContext
from kpi.ui.markdown import escape
from kpi.workspace import Workspace

log = logging.getLogger(__name__)
_NOTICE_KEY = "_kpi_publish_notice"
_SHOWN_KEY = "_kpi_publish_shown"  # the current snapshot id when the page was last drawn


def render(page: PageContext) -> None:
    show(page.workspace, page.user, page.lang)


def show(workspace: Workspace | SourceData, user: auth.User, lang: str) -> None:
    st.title(t("publish.title", lang))
    st.caption(t("publish.intro", lang))
    if isinstance(workspace, SourceData):  # warehouse mode: everyone reads the source live
        st.info(t("source.nothing_to_publish", lang), icon=":material/cloud_done:")
        return
    if not auth.can_publish(user):
        st.info(t("publish.managers_only", lang), icon=":material/lock:")
        return
    notice = st.session_state.pop(_NOTICE_KEY, None)
    if notice:
        st.success(notice, icon=":material/check_circle:")
    current = snapshots.current_id()
    started_from = st.session_state.get(_SHOWN_KEY, current)  # what the click was made on
    st.session_state[_SHOWN_KEY] = current  # what this run shows
    _publish_box(workspace, user, lang, started_from)
    _history(user, lang)


def _publish_box(workspace: Workspace, user: auth.User, lang: str,
                 started_from: str | None) -> None:
    counts = workspace.row_counts()
    loaded = {kind: n for kind, n in counts.items() if n}
    if loaded:
        st.write(t("publish.will_publish", lang, tables=", ".join(
            f"{t(f'table.{kind}', lang)} ({format_number(n, lang)})"
            for kind, n in loaded.items())))
    else:
        st.info(t("publish.empty", lang), icon=":material/upload_file:")
    if workspace.is_demo:
        st.warning(t("publish.demo_warning", lang), icon=":material/science:")
    if not counts.get(TableKind.DEALS.value):
        st.caption(t("publish.no_deals", lang))
    if st.button(t("publish.button", lang), type="primary", icon=":material/publish:",
                 disabled=not loaded, key="publish-now"):
        with st.spinner(t("publish.running", lang)):
            try:
                snapshot = snapshots.publish(workspace, by=user.username, by_name=user.name,
                                             started_from=started_from)
            except snapshots.PublishConflict as conflict:
                _say_conflict(conflict.current, lang)
                return
            except Exception:  # any failure: say so; the previous snapshot stays current
                log.exception("publishing failed")
                st.error(t("publish.failed", lang), icon=":material/error:")
                return
        _done("publish.done", snapshot, lang)


def _done(key: str, snapshot: snapshots.Snapshot, lang: str) -> NoReturn:
    """Redraw the page with what changed; the notice survives the rerun in the session."""
    st.session_state[_NOTICE_KEY] = t(key, lang,
                                      when=auth.published_label(snapshot.published_at, lang))
    st.rerun()


def _say_conflict(current: snapshots.Snapshot | None, lang: str) -> None:
    """Another manager published (or restored) since this page was drawn: nothing was published."""
    if current is None:
        st.warning(t("publish.conflict_gone", lang), icon=":material/sync_problem:")
        return
    st.warning(t("publish.conflict", lang, name=escape(current.published_by_name),
                 when=auth.published_label(current.published_at, lang)),
               icon=":material/sync_problem:")


def _history(user: auth.User, lang: str) -> None:
    st.subheader(t("publish.history", lang))
    listed = snapshots.list_snapshots()
    if not listed:
        st.caption(t("publish.none_yet", lang))
        return
    st.caption(t("publish.history_help", lang, n=snapshots.KEEP))
    for snapshot in listed:
        when, by, rows, action = st.columns([3, 3, 2, 2], vertical_alignment="center")
        when.write(auth.published_label(snapshot.published_at, lang)
                   + (" · " + t("publish.demo", lang) if snapshot.is_demo else ""))
        by.write(escape(snapshot.published_by_name))
        rows.write(t("publish.rows", lang, n=format_number(snapshot.rows, lang)))
        if snapshot.is_current:
            action.badge(t("publish.current", lang), icon=":material/visibility:", color="green")
        elif action.button(t("publish.restore", lang), key=f"restore-{snapshot.id}",
                           icon=":material/history:"):
            try:
                snapshots.restore(snapshot.id, by=user.username)
            except snapshots.SnapshotError:
                log.exception("restore failed")
                st.error(t("publish.restore_failed", lang), icon=":material/error:")
                return
            _done("publish.restored", snapshot, lang)
