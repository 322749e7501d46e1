"""The Data page body alone, on an empty session workspace (for AppTest)."""

from kpi.ui import data_page, session

data_page.show(session.workspace(load_demo=False), "en")
