"""The Data page in warehouse mode: what the source holds, instead of the uploader.

Each canonical table with its row count and latest date (one query,
`catalog.table_summary`, kept like the sidebar's options), and a sentence on
why uploads, mappings and drafts are not here (docs/scale-out.md).
"""

from __future__ import annotations

import math

import streamlit as st

from kpi.i18n import t
from kpi.source import REFRESH_S, SourceData
from kpi.ui import kpi_page
from kpi.ui.kpi_page import Column
from kpi.ui.markdown import escape

COLUMNS = (
    Column("table", "source.col_table", "text"),
    Column("rows", "source.col_rows", "number"),
    Column("latest", "source.col_latest", "date"),
)


def show(source: SourceData, lang: str) -> None:
    st.title(t("data.title", lang))
    st.caption(t("source.intro", lang, schema=escape(source.schema)))
    st.info(t("source.no_uploads", lang, minutes=math.ceil(REFRESH_S / 60)),
            icon=":material/cloud_sync:")
    summary = source.summary()
    if not summary["deals"][0]:
        st.warning(t("source.no_deals", lang), icon=":material/info:")
    rows = [{"table": t(f"table.{name}", lang), "rows": count, "latest": latest}
            for name, (count, latest) in summary.items()]
    kpi_page.rows_table(rows, COLUMNS, lang, "", key="source-tables",
                        file_name="warehouse-tables.csv")
