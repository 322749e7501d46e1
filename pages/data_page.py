"""Data: upload CRM exports, check how they were read, fix mappings."""

from kpi.ui import context, data_page


def render() -> None:
    page = context.current()
    data_page.show(page.workspace, page.lang)
