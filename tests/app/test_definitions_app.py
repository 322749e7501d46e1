"""The Definitions page through the router: every family of docs/kpis/ in its order, in the
reader's language, then the tables at a glance (docs/kpis/README.md)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kpi.definitions import document, sections
from kpi.i18n import t
from kpi.schema import tables_markdown
from kpi.workspace import Workspace
from pages.definitions_page import TABLES_ANCHOR
from tests.app.test_pages import FRENCH, app, built_workspace, no_exception, open_page


@pytest.fixture(scope="module")
def workspace() -> Iterator[Workspace]:
    ws = built_workspace(60)
    yield ws
    ws.close()


@pytest.mark.parametrize(("lang", "query"), [("en", {}), ("fr", {"lang": FRENCH})])
def test_the_page_shows_every_family_then_the_tables(workspace: Workspace, lang: str,
                                                     query: dict[str, str]) -> None:
    at = open_page(app(workspace, **query), "definitions")
    no_exception(at)
    titles = [title for title, _, _ in sections(document(lang))[1]]
    shown = [h.value for h in at.main.header]
    assert shown == [*titles, t("definitions.tables", lang)]
    # Written by hand: the first family, the last one, in each language.
    assert (shown[0], shown[-2]) == (("Period", "Quota attainment") if lang == "en"
                                     else ("Période", "Atteinte des objectifs"))
    assert at.main.header[-1].proto.anchor == TABLES_ANCHOR
    assert tables_markdown(lang) in at.main.markdown[-1].value
