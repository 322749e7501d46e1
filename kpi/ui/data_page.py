"""The Data page: drop exports, see how each was read, fix tables and mappings.

Every action goes through `Workspace`, which is all-or-nothing: a file that
fails is reported (file, row, column) and the data already loaded stays. A
file that was read but not loaded keeps a panel (the workspace's `refused`)
where its table and columns are chosen by hand. What the importer says
(errors, notes, warnings, reasons) are codes with parameters (kpi.messages),
kept as they are and rendered in the page's language when shown, so a change
of language re-renders them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from kpi.auth import User
from kpi.export import to_csv
from kpi.i18n import format_number, t, t_count
from kpi.ingest import IngestError, UnreadableFile, dominant_reject
from kpi.messages import Message, render
from kpi.schema import CHANNELS, FIELDS, STATUSES, FileReport, RejectedRow, TableKind
from kpi.ui import sidebar
from kpi.ui.markdown import escape
from kpi.workspace import DEMO_PREFIX, Source, Workspace

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "parquet"]
# The setting's choices, besides the currencies found in the data.
COMMON_CURRENCIES = ("AUD", "BRL", "CAD", "CHF", "CNY", "DKK", "EUR", "GBP", "INR", "JPY",
                     "MXN", "NOK", "NZD", "PLN", "SEK", "SGD", "USD", "ZAR")
_DONE_KEY = "_kpi_uploads_done"  # uploader file ids already imported
_ERRORS_KEY = "_kpi_upload_errors"
_VALUES_OF_KEY = "_kpi_values_of"  # the file whose raw values the value editors show
_IGNORED = "—"


def show(workspace: Workspace, lang: str, user: User | None = None) -> None:
    """The page for `user` (None: this browser's local session)."""
    st.title(t("data.title", lang))
    st.caption(t("data.intro", lang))
    if workspace.read_only:
        st.info(t("data.read_only", lang))
        return
    _uploader(workspace, lang)
    _actions(workspace, lang)
    _where_kept(user, lang)
    for message in st.session_state.get(_ERRORS_KEY, []):
        st.error(escape(render(message, lang)), icon=":material/error:")
    _demo_put_away(workspace, lang)
    _settings(workspace, lang)
    if not workspace.sources and not workspace.refused:
        st.info(t("data.empty", lang), icon=":material/upload_file:")
        return
    _summary(workspace, lang)
    for source in list(workspace.refused.values()):
        _refused_panel(workspace, source, lang)
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
    was_demo = workspace.is_demo
    errors: list[Message] = []
    loaded = 0
    with st.status(t("data.importing", lang, n=len(new)), expanded=False) as status:
        for upload in new:
            status.update(label=t("data.reading", lang, file=escape(upload.name)))
            try:
                workspace.add_file(upload.getvalue(), upload.name)
                loaded += 1
            except IngestError as exc:
                if not _has_panel(workspace, exc):
                    errors.append(exc.message)
            done.add(upload.file_id)
        state = "complete" if loaded == len(new) else "error"
        status.update(label=t("data.imported", lang, n=loaded), state=state)
    st.session_state[_ERRORS_KEY] = errors
    if was_demo and not workspace.is_demo:
        st.rerun()  # the sidebar's demo banner was drawn before this upload put the demo away


def _has_panel(workspace: Workspace, exc: IngestError) -> bool:
    """Whether a refusal is shown in the file's own panel (then not again at the top)."""
    return (isinstance(exc, UnreadableFile) and exc.report is not None
            and exc.report.file in workspace.refused)


def _actions(workspace: Workspace, lang: str) -> None:
    row = st.container(horizontal=True)  # buttons as wide as their label in any language
    if row.button(t("data.load_demo", lang), icon=":material/dataset:"):
        _load_demo(workspace)
    if row.button(t("data.clear", lang), icon=":material/delete_sweep:",
                    disabled=not (workspace.sources or workspace.refused)):
        workspace.clear()
        st.session_state[_ERRORS_KEY] = []
        st.rerun()


def _where_kept(user: User | None, lang: str) -> None:
    """Say that the workspace survives a reload, whose it is, and how to start over."""
    key = "data.kept_user" if user is not None and not user.local else "data.kept_browser"
    st.caption(t(key, lang, clear=t("data.clear", lang), demo=t("data.load_demo", lang)))


def _load_demo(workspace: Workspace) -> None:
    workspace.load_demo()
    st.session_state[_ERRORS_KEY] = []
    st.rerun()


def _demo_put_away(workspace: Workspace, lang: str) -> None:
    """Say that the user's first file replaced the demo, and offer it back."""
    if not workspace.demo_replaced:
        return
    text, button = st.columns([4, 1], vertical_alignment="center")
    text.info(t("data.demo_put_away", lang), icon=":material/info:")
    if button.button(t("data.back_to_demo", lang), key="back-to-demo",
                     icon=":material/undo:"):
        _load_demo(workspace)


def _summary(workspace: Workspace, lang: str) -> None:
    counts = workspace.row_counts()
    if workspace.is_demo:
        st.info(t("data.demo_banner", lang), icon=":material/info:")
    columns = st.columns(len(TableKind))
    for column, kind in zip(columns, TableKind, strict=True):
        column.metric(t(f"table.{kind.value}", lang), format_number(counts[kind.value], lang))
    _attention(workspace, lang)


def _attention(workspace: Workspace, lang: str) -> None:
    """One line each for the files not loaded and those with warnings (panels below)."""
    not_loaded = [*workspace.refused, *(r.file for r in workspace.reports if dominant_reject(r))]
    if not_loaded:
        st.error(t("data.files_not_loaded", lang, files=_names(not_loaded)),
                 icon=":material/error:")
    warned = [r.file for r in workspace.reports if r.warnings]
    if warned:
        st.warning(t("data.files_with_warnings", lang, files=_names(warned)),
                   icon=":material/warning:")


def _names(files: list[str]) -> str:
    return ", ".join(escape(name) for name in files)


def _settings(workspace: Workspace, lang: str) -> None:
    """The workspace currency (re-reads every file) and the mappings' download."""
    current = workspace.mappings.currency
    found = [c.currency for c in sidebar.options(workspace).currencies]  # once per revision
    options = sorted({*COMMON_CURRENCIES, *found, current})
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    chosen = left.selectbox(t("data.default_currency", lang), options,
                            index=options.index(current), key=f"currency-{current}",
                            help=t("data.default_currency_help", lang))
    if chosen != current:
        with st.spinner(t("data.remapping", lang)):
            mappings = replace(workspace.mappings, currency=chosen)
            _apply(workspace, lambda: workspace.set_mappings(mappings))
    right.download_button(
        t("data.download_mappings", lang), workspace.mapping_file().model_dump_json(indent=2),
        file_name="kpi-mappings.json", mime="application/json", key="download-mappings",
        help=t("data.download_mappings_help", lang), icon=":material/download:",
    )


def _refused_panel(workspace: Workspace, source: Source, lang: str) -> None:
    """A file that was read but not loaded: its error, and its table and columns to choose."""
    report = source.report
    title = t("data.refused_title", lang, file=escape(report.file))
    with st.expander(title, expanded=True, icon=":material/error:"):
        if report.error is not None:
            st.error(escape(render(report.error, lang)), icon=":material/error:")
        _alternative(workspace, report, lang)
        for note in report.notes:
            st.caption(escape(render(note, lang)))
        _mapping_editor(workspace, report, lang)
        _remove_button(st, workspace, report, lang)


def _file_title(report: FileReport, lang: str) -> str:
    table = t(f"table.{report.table.value}", lang) if report.table else "?"
    if dominant_reject(report):
        return t("data.failed_title", lang, file=escape(report.file), table=table,
                 n=format_number(report.rows_rejected, lang))
    return t("data.file_title", lang, file=escape(report.file), table=table,
             accepted=t_count("data.rows_loaded", report.rows_accepted, lang),
             rejected=t_count("data.rows_rejected", report.rows_rejected, lang))


def _file_panel(workspace: Workspace, report: FileReport, lang: str) -> None:
    failed = dominant_reject(report)
    few = len(workspace.sources) < 4
    icon = (":material/error:" if failed else ":material/warning:" if report.warnings
            else None)
    expanded = failed is not None or (few and (report.rows_rejected > 0 or report.warnings))
    with st.expander(_file_title(report, lang), expanded=bool(expanded), icon=icon):
        if failed:
            _all_rejected(report, failed, lang)
        _warnings(workspace, report, lang)
        _alternative(workspace, report, lang)
        _facts(report, lang)
        for note in report.notes:
            st.caption(escape(render(note, lang)))
        _mapping_editor(workspace, report, lang)
        _saved_mapping(workspace, report, lang)
        _rejects(report, lang)
        _replace_or_remove(workspace, report, lang)


def _all_rejected(report: FileReport, failed: RejectedRow, lang: str) -> None:
    """A failed file: the most frequent reason its rows were rejected, with an example."""
    example = (t("data.reject_example", lang, column=escape(failed.column),
                 value=escape(repr(failed.value or ""))) if failed.column else "")
    st.error(t("data.all_rejected", lang, n=format_number(report.rows_rejected, lang),
               reason=escape(render(failed.reason, lang)), example=example),
             icon=":material/error:")


def _warnings(workspace: Workspace, report: FileReport, lang: str) -> None:
    """Figures that may be misread; when a warning names raw values, a way to map them."""
    for warning in report.warnings:
        st.warning(escape(render(warning, lang)), icon=":material/warning:")
    if _names_raw_values(workspace, report) and st.button(
            t("data.map_values", lang), key=f"map-values-{report.file}",
            icon=":material/tune:"):
        st.session_state[_VALUES_OF_KEY] = report.file


def _names_raw_values(workspace: Workspace, report: FileReport) -> bool:
    """Whether a warning names one of the file's raw statuses or sources (its `values`
    parameter holds their first 40 characters)."""
    named = {value for warning in report.warnings
             if isinstance(shown := warning.params.get("values"), Message)
             for value in shown.params.get("values", [])}
    if not named:
        return False
    channels, statuses = workspace.raw_values(source_file=report.file)
    return any(value[:40] in named for value in (*channels, *statuses))


def _alternative(workspace: Workspace, report: FileReport, lang: str) -> None:
    """The table the file could also be, read as it in one click."""
    other = report.alternative
    if other is None or other == report.table:
        return
    table = t(f"table.{other.value}", lang)
    text, button = st.columns([3, 1], vertical_alignment="center")
    text.info(t("data.alternative", lang, table=table), icon=":material/swap_horiz:")
    if button.button(t("data.read_as", lang, table=table), key=f"read-as-{report.file}"):
        source = _source(workspace, report.file)
        _apply(workspace, lambda: workspace.add_file(
            source.data, report.file, kind=other, sheet=source.sheet, replace=True))


def _facts(report: FileReport, lang: str) -> None:
    facts = {
        t("data.encoding", lang): report.encoding or "—",
        t("data.delimiter", lang): {",": ",", ";": ";", "\t": "TAB", "|": "|"}.get(
            report.delimiter or "", "—"),
        t("data.decimal_mark", lang): report.decimal_mark or "—",
        t("data.date_order", lang): (t(f"date_order.{report.date_order}", lang)
                                     if report.date_order else "—"),
        t("data.header_row", lang): str(report.header_row),
        t("data.rows_read", lang): format_number(report.rows_read, lang),
        t("data.rows_accepted", lang): format_number(report.rows_accepted, lang),
        t("data.rows_rejected", lang): format_number(report.rows_rejected, lang),
        t("data.rows_dropped", lang): format_number(report.rows_dropped, lang),
    }
    if report.sheet:
        facts[t("data.sheet", lang)] = escape(report.sheet)  # st.table renders Markdown
    st.table({"fact": list(facts), "value": list(facts.values())}, hide_index=True,
             hide_header=True, border="horizontal")


def _source(workspace: Workspace, name: str) -> Source:
    return workspace.sources.get(name) or workspace.refused[name]


def _mapping_editor(workspace: Workspace, report: FileReport, lang: str) -> None:
    """Table kind and column -> field mapping, with sample values. A loaded file is read
    again at each edit; a refused one when the user applies the whole mapping (a partial
    one would only be refused again)."""
    refused = report.file in workspace.refused
    kinds = list(TableKind)
    kind = st.selectbox(
        t("data.table_kind", lang), kinds, index=kinds.index(report.table) if report.table else 0,
        format_func=lambda k: t(f"table.{k.value}", lang),
        key=f"kind-{report.file}-{report.table}",  # a new widget when "Read as" changes it
    )
    fields = [_IGNORED] + [spec.name for spec in FIELDS[kind]]
    rows = [{"column": c.source, "field": c.field if c.field in fields else _IGNORED,
             "samples": ", ".join(c.samples), "note": render(c.note, lang) if c.note else ""}
            for c in report.columns]
    edited = st.data_editor(
        rows, key=f"{'fix' if refused else 'mapping'}-{report.file}-{kind.value}",
        hide_index=True, disabled=["column", "samples", "note"],
        column_config={
            "column": st.column_config.TextColumn(t("data.source_column", lang)),
            "field": st.column_config.SelectboxColumn(
                t("data.field", lang), options=fields, required=True,
                format_func=lambda f: t("field.ignored" if f == _IGNORED else f"field.{f}", lang)),
            "samples": st.column_config.TextColumn(t("data.samples", lang)),
            "note": st.column_config.TextColumn(t("data.how_read", lang)),
        },
    )
    mapping = {row["column"]: row["field"] for row in edited if row["field"] != _IGNORED}
    if refused:
        changed = st.button(t("data.apply_mapping", lang), key=f"apply-{report.file}",
                            type="primary", icon=":material/check:")
    else:
        changed = _new_choice(report, kind, mapping)
    if changed:
        source = _source(workspace, report.file)
        _apply(workspace, lambda: workspace.add_file(
            source.data, report.file, kind=kind, mapping=mapping, sheet=source.sheet,
            replace=True))


def _new_choice(report: FileReport, kind: TableKind, mapping: dict[str, str]) -> bool:
    """Whether the editor asks for a table or mapping the file is not read with and that
    was not just tried: a choice that failed stays in the widgets and is not retried at
    every rerun (the error says why; the file stays as it was)."""
    tried_key = f"_tried-{report.file}"
    choice = (kind, mapping)
    if choice == (report.table, report.mapping) or st.session_state.get(tried_key) == choice:
        return False
    st.session_state[tried_key] = choice
    return True


def _saved_mapping(workspace: Workspace, report: FileReport, lang: str) -> None:
    """Save this file's mapping for later files with the same headers (in any order)."""
    saved = workspace.saved_mapping_for(report)
    headers = [c.source for c in report.columns]
    if saved is not None and (saved.table, saved.mapping_for(headers)) == (report.table,
                                                                           report.mapping):
        st.caption(t("data.mapping_saved", lang))
    elif st.button(t("data.save_mapping", lang), key=f"save-mapping-{report.file}",
                   icon=":material/bookmark_add:"):
        workspace.save_mapping(report.file)
        st.rerun()


def _rejects(report: FileReport, lang: str) -> None:
    if not report.rejects:
        return
    st.subheader(t("data.rejects", lang))
    rows = [{**dict(r), "reason": render(r.reason, lang)} for r in report.rejects]
    st.dataframe(rows, hide_index=True, column_config={
        "row": t("data.reject_row", lang), "column": t("data.reject_column", lang),
        "value": t("data.reject_value", lang), "reason": t("data.reject_reason", lang),
    })
    st.download_button(
        t("data.download_rejects", lang),
        to_csv((dict(r) for r in report.rejects), ["row", "column", "value", "reason"], lang),
        file_name=f"rejected-{report.file.replace('/', '-')}.csv", mime="text/csv",
        key=f"rejects-{report.file}", icon=":material/download:",
    )


def _replace_or_remove(workspace: Workspace, report: FileReport, lang: str) -> None:
    left, right = st.columns(2)
    replacement = left.file_uploader(
        t("data.replace", lang), type=UPLOAD_TYPES, key=f"replace-{report.file}")
    if replacement is not None and st.session_state.get(f"_replaced-{report.file}") != \
            replacement.file_id:
        st.session_state[f"_replaced-{report.file}"] = replacement.file_id
        data = replacement.getvalue()
        if workspace.is_demo and report.file.startswith(DEMO_PREFIX):
            # The user's own file, not a demo one: it puts the demo away like an upload.
            _apply(workspace, lambda: workspace.add_file(data, replacement.name))
        else:
            _apply(workspace, lambda: workspace.add_file(data, report.file, replace=True))
    _remove_button(right, workspace, report, lang)


def _remove_button(where: DeltaGenerator, workspace: Workspace, report: FileReport,
                   lang: str) -> None:
    if where.button(t("data.remove", lang), key=f"remove-{report.file}",
                    icon=":material/delete:"):
        workspace.remove_file(report.file)
        st.rerun()


def _apply(workspace: Workspace, change: Callable[[], object]) -> None:
    """Run a workspace change; show why it failed (the workspace is then unchanged) unless
    the file's own panel shows it."""
    try:
        change()
    except IngestError as exc:
        st.session_state[_ERRORS_KEY] = [] if _has_panel(workspace, exc) else [exc.message]
    else:
        st.session_state[_ERRORS_KEY] = []
    st.rerun()


def _value_mappings(workspace: Workspace, lang: str) -> None:
    """Raw channel and status values -> canonical ones, editable; applies to every page.

    After "Map this file's statuses and sources", only that file's values are listed."""
    st.header(t("data.value_mappings", lang))
    st.caption(t("data.value_mappings_help", lang))
    of_file = st.session_state.get(_VALUES_OF_KEY)
    if of_file not in workspace.sources:
        of_file = None
    if of_file is not None:
        text, button = st.columns([3, 1], vertical_alignment="center")
        text.info(t("data.values_of_file", lang, file=escape(of_file)), icon=":material/tune:")
        if button.button(t("data.all_values", lang), key="all-values"):
            st.session_state.pop(_VALUES_OF_KEY, None)
            st.rerun()
    channels_used, statuses_used = workspace.raw_values(source_file=of_file)
    suffix = f"-{of_file}" if of_file else ""
    left, right = st.columns(2)
    with left:
        channel_edits = _value_editor(channels_used, "channel", CHANNELS, lang, suffix)
    with right:
        status_edits = _value_editor(statuses_used, "status", STATUSES, lang, suffix)
    if channel_edits or status_edits:
        mappings = replace(workspace.mappings,
                           channels={**workspace.mappings.channels, **channel_edits},
                           statuses={**workspace.mappings.statuses, **status_edits})
        with st.spinner(t("data.remapping", lang)):
            _apply(workspace, lambda: workspace.set_mappings(mappings))


def _value_editor(used: dict[str, str], name: str, options: tuple[str, ...] | list[str],
                  lang: str, suffix: str) -> dict[str, str]:
    """One raw -> canonical table (`name` is channel or status); returns the changed rows."""
    st.subheader(t(f"data.{name}_mapping", lang))
    rows = [{"raw": raw, name: value} for raw, value in used.items()]
    edited = st.data_editor(rows, key=f"{name}-mapping{suffix}", hide_index=True,
                            disabled=["raw"], column_config={
        "raw": st.column_config.TextColumn(t("data.raw_value", lang)),
        name: st.column_config.SelectboxColumn(t(f"data.{name}", lang), options=list(options),
                                               required=True,
                                               format_func=lambda v: t(f"{name}.{v}", lang)),
    })
    return {row["raw"]: row[name] for row in edited if row[name] != used[row["raw"]]}
