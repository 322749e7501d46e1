"""Data: upload CRM exports, check how they were read, fix mappings; in warehouse mode,
what the source holds instead (docs/scale-out.md)."""

from kpi.source import SourceData
from kpi.ui import data_page, source_page
from kpi.ui.context import PageContext


def render(page: PageContext) -> None:
    if isinstance(page.workspace, SourceData):
        source_page.show(page.workspace, page.lang)
    else:
        data_page.show(page.workspace, page.lang, page.user)
