"""Sales KPI Explorer: the entry point and router.

Run with `streamlit run app.py` (or `make run`). This file only wires things:
page config, the session's workspace, the shared sidebar, and the pages
registered with st.navigation. Page modules only define `render(page)`, so a page
script served on its own renders nothing (SECURITY.md, "Pages render nothing when served
alone"); each page is given its inputs (`context.PageContext`), built once here. Their file names
(`*_page.py`) differ from the pages' URLs on purpose: on a fresh server,
Streamlit maps /<file name> to the legacy pages/ script; a shared link to
/overview must reach app.py (and its login) instead.
"""

import streamlit as st

from kpi.i18n import t
from kpi.ui import auth, context, phone, publish, session, sidebar, startup, warehouse
from kpi.ui.markdown import escape
from kpi.workspace import drawing_pages
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

startup.freeze_imports()  # first run only: the imports leave every later rerun's GC

PAGES = (
    (overview_page.render, "nav.overview", "overview", ":material/dashboard:"),
    (social_page.render, "nav.social", "social-selling", ":material/share:"),
    (proposals_page.render, "nav.proposals", "proposals", ":material/request_quote:"),
    (content_page.render, "nav.content", "content", ":material/campaign:"),
    (channels_page.render, "nav.channels", "channels", ":material/alt_route:"),
    (compensation_page.render, "nav.compensation", "packages", ":material/payments:"),
    (data_page.render, "nav.data", "data", ":material/upload_file:"),
    (definitions_page.render, "nav.definitions", "definitions", ":material/menu_book:"),
    (publish.render, "nav.publish", "publish", ":material/publish:"),
)

st.set_page_config(page_title="Sales KPI Explorer", page_icon=":material/insights:",
                   layout="wide")
phone.layout()  # a phone: the drawer opens on the filters, two KPI cards per row
filters_slot = st.sidebar.container()  # drawn first, filled once the workspace is known
lang = sidebar.language()
# Who this session is from its earlier runs (draws nothing; an unsafe login
# configuration stops here with the reason). Local mode: the local user.
user = auth.session_user(lang)
# Every page is registered on every run, before the login form: logged out,
# all of them, hidden, so a deep link keeps its page and filters through the
# login. A viewer never gets Data or Publish: /data opens the default page.
entries = context.Pages()  # st.Page calls with no argument; the context comes after the login
pages = [st.Page(entries.entry(render), title=t(title, lang), icon=icon, default=index == 0,
                 url_path="" if index == 0 else path)  # the first page is served at /
         for index, (render, title, path, icon) in enumerate(PAGES) if auth.may_open(user, path)]
# ...and at its own name too: a link to /overview is no "Page not found".
alias = st.Page(entries.entry(PAGES[0][0]), title=t(PAGES[0][1], lang), url_path=PAGES[0][2],
                visibility="hidden")
page = st.navigation([*pages, alias], position="sidebar" if user else "hidden")
if page is alias:  # to / with the link's settings: one address per page, and the menu shows it
    st.switch_page(pages[0], query_params={key: st.query_params.get_all(key)
                                           for key in st.query_params})
# The login form while logged out.
user = auth.gate(lang, registered_for=user, reads_source=warehouse.wanted())
if user is None:
    st.stop()  # logged out: no page runs, no data is read
# Warehouse mode: every role reads the source (docs/scale-out.md). Else manager: own
# session; viewer: the snapshot.
with drawing_pages():  # rows are compressed (kpi/workspace/storage.py) between runs, not during
    source = warehouse.session_source(lang)
    workspace = source or auth.workspace_for(user, lang)
    with warehouse.reading(workspace, lang, stop=True):  # no options, no page
        filters = sidebar.filters(workspace, lang, filters_slot)
    link = sidebar.link_slot(filters_slot, lang)
    if workspace.is_demo:
        filters_slot.info(t("app.demo_banner", lang), icon=":material/science:")
    if source is not None:
        filters_slot.caption(t("source.banner", lang, schema=escape(source.schema)))
    try:
        with warehouse.reading(workspace, lang):  # a spinner; a timeout said under the page
            entries.run(page, context.PageContext(workspace, filters, lang, user))
    finally:  # also after st.rerun()/st.stop(): a change is on disk before the next run
        session.keep_draft(lang)  # the draft a reload or a new tab reopens
sidebar.view_link(link, lang)  # after the page: its own settings are part of the link
