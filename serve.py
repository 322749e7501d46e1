"""Hosted entry point: `streamlit run serve.py` serves app.py behind HTTP guards.

Streamlit finds the `st.App` below and serves app.py through it, with the
middleware of kpi/ui/server.py in front of its own endpoints (uploads,
downloads and metrics need a login; security headers; no git info). app.py
stays the script, so `streamlit run app.py` still runs the same app, without
those guards (fine on one's own machine; SECURITY.md).
"""

import streamlit as st

from kpi.ui import server

app = st.App("app.py", middleware=server.MIDDLEWARE)
