"""Sales KPI Explorer: the entry point and router.

Run with `streamlit run app.py` (or `make run`). This file only wires things:
page config, the session's workspace, the shared sidebar, and the pages
registered with st.navigation. Page modules only define `render()`, so a page
script served on its own renders nothing (DESIGN.md). Their file names
(`*_page.py`) differ from the pages' URLs on purpose: on a fresh server,
Streamlit maps /<file name> to the legacy pages/ script; a shared link to
/overview must reach app.py (and its login) instead.
"""

import streamlit as st

from kpi.i18n import t
from kpi.ui import context, session, sidebar
from pages import (
    channels_page,
    compensation_page,
    content_page,
    data_page,
    definitions_page,
    overview_page,
    proposals_page,
    social_page,
)

PAGES = (
    (overview_page.render, "nav.overview", "overview", ":material/dashboard:"),
    (social_page.render, "nav.social", "social-selling", ":material/share:"),
    (proposals_page.render, "nav.proposals", "proposals", ":material/request_quote:"),
    (content_page.render, "nav.content", "content", ":material/campaign:"),
    (channels_page.render, "nav.channels", "channels", ":material/alt_route:"),
    (compensation_page.render, "nav.compensation", "packages", ":material/payments:"),
    (data_page.render, "nav.data", "data", ":material/upload_file:"),
    (definitions_page.render, "nav.definitions", "definitions", ":material/menu_book:"),
)

st.set_page_config(page_title="Sales KPI Explorer", page_icon=":material/insights:",
                   layout="wide")
lang = sidebar.language()
workspace = session.workspace()
page = st.navigation([
    st.Page(render, title=t(title, lang), url_path=path, icon=icon, default=index == 0)
    for index, (render, title, path, icon) in enumerate(PAGES)
])
if workspace.is_demo:
    st.sidebar.info(t("app.demo_banner", lang), icon=":material/science:")
filters = sidebar.filters(workspace, lang)
context.set_current(context.PageContext(workspace, filters, lang))
page.run()
