"""The Data page: drop exports, see how each was read, fix tables and mappings.

Every action goes through `Workspace`, which is all-or-nothing: a file that
fails is reported (file, row, column) and the data already loaded stays.
The importer speaks English only; what it says (errors, notes, reasons) is
kept as it said it and shown through `kpi.import_messages.translate`, so a
change of language re-renders it.
"""

from __future__ import annotations

import streamlit as st

from kpi.export import to_csv
from kpi.i18n import format_number, t, t_count
from kpi.import_messages import translate
from kpi.ingest import IngestError, Mappings
from kpi.schema import CHANNELS, FIELDS, STATUSES, FileReport, TableKind
from kpi.ui.markdown import escape
from kpi.workspace import Workspace

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "parquet"]
_DONE_KEY = "_kpi_uploads_done"  # uploader file ids already imported
_ERRORS_KEY = "_kpi_upload_errors"
_IGNORED = "—"


def show(workspace: Workspace, lang: str) -> None:
    st.title(t("data.title", lang))
    st.caption(t("data.intro", lang))
    if workspace.read_only:
        st.info(t("data.read_only", lang))
        return
    _uploader(workspace, lang)
    _actions(workspace, lang)
    for message in st.session_state.get(_ERRORS_KEY, []):
        st.error(escape(translate(message, lang)), icon=":material/error:")
    if not workspace.sources:
        st.info(t("data.empty", lang), icon=":material/upload_file:")
        return
    _summary(workspace, lang)
    for source in list(workspace.sources.values()):
        if source.report is not None:
            _file_panel(workspace, source.report, lang)
    _value_mappings(workspace, lang)


def _uploader(workspace: Workspace, lang: str) -> None:
    files = st.file_uploader(
        t("data.upload", lang), type=UPLOAD_TYPES, accept_multiple_files=True, key="uploads",
        help=t("data.upload_help", lang),
    )
    done: set[str] = st.session_state.setdefault(_DONE_KEY, set())
    new = [f for f in files or [] if f.file_id not in done]
    if not new:
        return
    errors: list[str] = []
    with st.status(t("data.importing", lang, n=len(new)), expanded=False) as status:
        for upload in new:
            status.update(label=t("data.reading", lang, file=escape(upload.name)))
            try:
                workspace.add_file(upload.getvalue(), upload.name)
            except IngestError as exc:
                errors.append(str(exc))
            done.add(upload.file_id)
        state = "error" if errors else "complete"
        status.update(label=t("data.imported", lang, n=len(new) - len(errors)), state=state)
    st.session_state[_ERRORS_KEY] = errors


def _actions(workspace: Workspace, lang: str) -> None:
    left, right, _ = st.columns([1, 1, 4])
    if left.button(t("data.load_demo", lang), icon=":material/dataset:"):
        workspace.load_demo()
        st.session_state[_ERRORS_KEY] = []
        st.rerun()
    if right.button(t("data.clear", lang), icon=":material/delete_sweep:",
                    disabled=not workspace.sources):
        workspace.clear()
        st.session_state[_ERRORS_KEY] = []
        st.rerun()


def _summary(workspace: Workspace, lang: str) -> None:
    counts = workspace.row_counts()
    if workspace.is_demo:
        st.info(t("data.demo_banner", lang), icon=":material/info:")
    columns = st.columns(len(TableKind))
    for column, kind in zip(columns, TableKind, strict=True):
        column.metric(t(f"table.{kind.value}", lang), format_number(counts[kind.value], lang))


def _file_panel(workspace: Workspace, report: FileReport, lang: str) -> None:
    table = t(f"table.{report.table.value}", lang) if report.table else "?"
    title = t("data.file_title", lang, file=escape(report.file), table=table,
              accepted=t_count("data.rows_loaded", report.rows_accepted, lang),
              rejected=t_count("data.rows_rejected", report.rows_rejected, lang))
    with st.expander(title, expanded=report.rows_rejected > 0 and len(workspace.sources) < 4):
        facts = {
            t("data.encoding", lang): report.encoding or "—",
            t("data.delimiter", lang): {",": ",", ";": ";", "\t": "TAB", "|": "|"}.get(
                report.delimiter or "", "—"),
            t("data.decimal_mark", lang): report.decimal_mark or "—",
            t("data.date_order", lang): report.date_order or "—",
            t("data.header_row", lang): str(report.header_row),
            t("data.rows_read", lang): format_number(report.rows_read, lang),
            t("data.rows_accepted", lang): format_number(report.rows_accepted, lang),
            t("data.rows_rejected", lang): format_number(report.rows_rejected, lang),
            t("data.rows_dropped", lang): format_number(report.rows_dropped, lang),
        }
        if report.sheet:
            facts[t("data.sheet", lang)] = report.sheet
        st.table({"fact": list(facts), "value": list(facts.values())}, hide_index=True,
                 hide_header=True, border="horizontal")
        for note in report.notes:
            st.caption(escape(translate(note, lang)))
        _mapping_editor(workspace, report, lang)
        if report.rejects:
            st.subheader(t("data.rejects", lang))
            rows = [{**r.model_dump(), "reason": translate(r.reason, lang)}
                    for r in report.rejects]
            st.dataframe(rows, hide_index=True, column_config={
                "row": t("data.reject_row", lang), "column": t("data.reject_column", lang),
                "value": t("data.reject_value", lang), "reason": t("data.reject_reason", lang),
            })
            st.download_button(
                t("data.download_rejects", lang),
                to_csv(rows, ["row", "column", "value", "reason"]),
                file_name=f"rejected-{report.file.replace('/', '-')}.csv", mime="text/csv",
                key=f"rejects-{report.file}", icon=":material/download:",
            )
        left, right = st.columns(2)
        replacement = left.file_uploader(
            t("data.replace", lang), type=UPLOAD_TYPES, key=f"replace-{report.file}")
        if replacement is not None and st.session_state.get(f"_replaced-{report.file}") != \
                replacement.file_id:
            st.session_state[f"_replaced-{report.file}"] = replacement.file_id
            _apply(lambda: workspace.add_file(replacement.getvalue(), report.file, replace=True))
        if right.button(t("data.remove", lang), key=f"remove-{report.file}",
                        icon=":material/delete:"):
            workspace.remove_file(report.file)
            st.rerun()


def _mapping_editor(workspace: Workspace, report: FileReport, lang: str) -> None:
    """Table kind and column -> field mapping; an edit re-imports the file at once."""
    kinds = list(TableKind)
    kind = st.selectbox(
        t("data.table_kind", lang), kinds, index=kinds.index(report.table) if report.table else 0,
        format_func=lambda k: t(f"table.{k.value}", lang), key=f"kind-{report.file}",
    )
    fields = [_IGNORED] + [spec.name for spec in FIELDS[kind]]
    rows = [{"column": c.source, "field": c.field if c.field in fields else _IGNORED,
             "note": translate(c.note or "", lang)} for c in report.columns]
    edited = st.data_editor(
        rows, key=f"mapping-{report.file}-{kind.value}", hide_index=True,
        disabled=["column", "note"],
        column_config={
            "column": st.column_config.TextColumn(t("data.source_column", lang)),
            "field": st.column_config.SelectboxColumn(t("data.field", lang), options=fields,
                                                      required=True),
            "note": st.column_config.TextColumn(t("data.how_read", lang)),
        },
    )
    mapping = {row["column"]: row["field"] for row in edited if row["field"] != _IGNORED}
    if kind != report.table or mapping != report.mapping:
        source = workspace.sources[report.file]
        _apply(lambda: workspace.add_file(source.data, report.file, kind=kind, mapping=mapping,
                                          sheet=source.sheet, replace=True))


def _apply(change) -> None:  # noqa: ANN001 - a zero-argument callable
    """Run a workspace change; show why it failed (the workspace is then unchanged)."""
    try:
        change()
    except IngestError as exc:
        st.session_state[_ERRORS_KEY] = [str(exc)]
    else:
        st.session_state[_ERRORS_KEY] = []
    st.rerun()


def _value_mappings(workspace: Workspace, lang: str) -> None:
    """Raw channel and status values -> canonical ones, editable; applies to every page."""
    st.header(t("data.value_mappings", lang))
    st.caption(t("data.value_mappings_help", lang))
    channels_used, statuses_used = workspace.raw_values()
    left, right = st.columns(2)
    with left:
        channel_edits = _value_editor(channels_used, "channel", CHANNELS, lang)
    with right:
        status_edits = _value_editor(statuses_used, "status", STATUSES, lang)
    if channel_edits or status_edits:
        mappings = Mappings(channels={**workspace.mappings.channels, **channel_edits},
                            statuses={**workspace.mappings.statuses, **status_edits})
        with st.spinner(t("data.remapping", lang)):
            _apply(lambda: workspace.set_mappings(mappings))


def _value_editor(used: dict[str, str], name: str, options: tuple[str, ...] | list[str],
                  lang: str) -> dict[str, str]:
    """One raw -> canonical table (`name` is channel or status); returns the changed rows."""
    st.subheader(t(f"data.{name}_mapping", lang))
    rows = [{"raw": raw, name: value} for raw, value in used.items()]
    edited = st.data_editor(rows, key=f"{name}-mapping", hide_index=True, disabled=["raw"],
                            column_config={
        "raw": st.column_config.TextColumn(t("data.raw_value", lang)),
        name: st.column_config.SelectboxColumn(t(f"data.{name}", lang), options=list(options),
                                               required=True),
    })
    return {row["raw"]: row[name] for row in edited if row[name] != used[row["raw"]]}
