"""docs/kpis/ as its README describes it: one bilingual file per KPI family, placed by its
order line, so adding a family is adding one file (CONTRIBUTING.md, "Add a KPI").

The page's text itself (same sections in both languages, every linked anchor, words a
sales manager reads) is checked in tests/unit/test_i18n.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kpi import definitions
from kpi.definitions import RULES, document, families, order, parts, sections
from kpi.i18n import LANGUAGES
from kpi.schema import TABLES

DOCS = RULES.parent.parent
TABLE_PART = re.compile(r"^<!-- table: (\w+) -->$", re.MULTILINE)


@pytest.mark.parametrize("path", families(), ids=lambda p: p.name)
def test_a_family_file_is_one_section_per_language_named_by_the_file(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!-- order: "), f"{path.name}: no order line first"
    found = parts(text)
    assert set(LANGUAGES) <= set(found), f"{path.name}: a language part is missing"
    for lang in LANGUAGES:
        intro, one = sections(found[lang])
        assert intro.strip() == "", (path.name, lang, "text before its heading")
        assert [anchor for _, anchor, _ in one] == [path.stem], (path.name, lang)
    assert set(found) - set(LANGUAGES) <= {f"table: {n}" for n in TABLES}, path.name


def test_the_families_have_distinct_orders_and_the_rules_have_no_section() -> None:
    orders = [order(path)[0] for path in families()]
    assert len(orders) == len(set(orders)), orders
    for lang in LANGUAGES:
        intro, found = sections(parts(RULES.read_text(encoding="utf-8"))[lang])
        assert found == [] and intro.startswith("# "), lang


def test_the_page_shows_every_family_file_in_its_order() -> None:
    shown = [anchor for _, anchor, _ in sections(document("en"))[1]]
    assert shown == [path.stem for path in families()]
    # The ones the pages link to, in the order the files declare (by hand: 30, 40, 100).
    assert shown.index("pipeline") < shown.index("deal-ageing") < shown.index(
        "quota-attainment")


def test_adding_a_family_is_adding_one_file(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "README.md").write_text(
        "How this folder is written.\n\n<!-- en -->\n# Rules\n\nRule.\n\n<!-- fr -->\n"
        "# Règles\n\nRègle.\n", encoding="utf-8")
    (tmp_path / "zeta.md").write_text(
        "<!-- order: 10 -->\n<!-- en -->\n## Zeta {#zeta}\nZ.\n<!-- fr -->\n"
        "## Zêta {#zeta}\nZ fr.\n", encoding="utf-8")
    (tmp_path / "alpha.md").write_text(
        "<!-- order: 20 -->\n<!-- en -->\n## Alpha {#alpha}\nA.\n<!-- fr -->\n"
        "## Alpha fr {#alpha}\nA fr.\n<!-- table: quotas -->\n## Not shown\nX.\n",
        encoding="utf-8")
    monkeypatch.setattr(definitions, "DOCS", tmp_path)
    monkeypatch.setattr(definitions, "RULES", tmp_path / "README.md")
    intro, found = sections(document("fr"))
    # zeta (order 10) before alpha (order 20), whatever their names; the table part and
    # the note before the first marker are left out.
    assert intro == "# Règles\n\nRègle.\n\n"
    assert found == [("Zêta", "zeta", "\nZ fr.\n\n"), ("Alpha fr", "alpha", "\nA fr.\n")]


def test_every_table_is_described_once() -> None:
    """In docs/tables.md when pages share it, else with the one KPI that reads it."""
    shared = re.findall(r"^## (.+)$", (DOCS / "tables.md").read_text(encoding="utf-8"),
                        re.MULTILINE)
    with_a_kpi = [name for path in families()
                  for name in TABLE_PART.findall(path.read_text(encoding="utf-8"))]
    assert "quotas" in with_a_kpi
    for name in TABLES:
        places = with_a_kpi.count(name) + shared.count(name.replace("_", " ").capitalize())
        assert places == 1, (name, places)
