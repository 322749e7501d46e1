"""Data: upload CRM exports, check how they were read, fix mappings."""

from kpi.ui import data_page
from kpi.ui.context import PageContext


def render(page: PageContext) -> None:
    data_page.show(page.workspace, page.lang, page.user)
