"""KPI definitions for sales managers, in the UI language (docs/kpis/README.md).

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
The text is assembled by kpi.definitions from docs/kpis/; the page ends with the
tables an export becomes, written from kpi.schema.TABLES.
"""

from __future__ import annotations

import streamlit as st

from kpi.definitions import document, sections
from kpi.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from kpi.schema import tables_markdown
from kpi.ui.context import PageContext

TABLES_ANCHOR = "tables"


def render(page: PageContext) -> None:
    lang = page.lang if page.lang in LANGUAGES else DEFAULT_LANGUAGE
    intro, found = sections(document(lang))
    st.markdown(intro)
    for title, anchor, body in found:
        st.header(title, anchor=anchor)
        st.markdown(body)
    st.header(t("definitions.tables", lang), anchor=TABLES_ANCHOR)
    st.markdown(t("definitions.tables_intro", lang) + "\n\n" + tables_markdown(lang))
