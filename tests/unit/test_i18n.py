"""The translation table is complete and the number formats read right in each language."""

from __future__ import annotations

import ast
import re
import string
from datetime import date
from pathlib import Path

import pytest

from kpi import i18n
from kpi.i18n import (
    LANGUAGES,
    TEXTS,
    format_date,
    format_money,
    format_month,
    format_multiple,
    format_number,
    format_ordinal,
    format_percent,
    t,
    t_count,
    vega_locale,
)

ROOT = Path(__file__).resolve().parents[2]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_key_has_english_and_french_with_the_same_placeholders(key: str) -> None:
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES), f"{key}: {sorted(entry)}"
    assert all(entry[lang].strip() for lang in LANGUAGES), f"{key} has an empty text"
    assert _fields(entry["en"]) == _fields(entry["fr"]), key


def _literal_keys(path: Path) -> set[str]:
    """Keys passed as a string literal to t(...) in a source file."""
    keys = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
                and node.args and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)):
            keys.add(node.args[0].value)
    return keys


PAGE_SOURCES = sorted([*(ROOT / "pages").glob("*.py"), ROOT / "kpi" / "charts.py",
                       ROOT / "kpi" / "ui" / "kpi_page.py"])


@pytest.mark.parametrize("path", PAGE_SOURCES, ids=lambda p: p.name)
def test_every_key_the_pages_use_exists(path: Path) -> None:
    missing = _literal_keys(path) - set(TEXTS)
    assert not missing, f"{path.name}: {sorted(missing)}"


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (0, "en", "0 rows loaded"), (1, "en", "1 row loaded"), (2, "en", "2 rows loaded"),
    (0, "fr", "0 ligne chargée"), (1, "fr", "1 ligne chargée"), (2, "fr", "2 lignes chargées"),
    (12345, "fr", "12\u202f345 lignes chargées"), (12345, "en", "12,345 rows loaded"),
])
def test_counts_take_the_singular_or_plural_of_the_language(n: int, lang: str,
                                                           expected: str) -> None:
    assert t_count("data.rows_loaded", n, lang) == expected


def test_the_file_title_agrees_with_its_counts() -> None:
    title = t("data.file_title", "fr", file="a.csv", table="Affaires",
              accepted=t_count("data.rows_loaded", 3, "fr"),
              rejected=t_count("data.rows_rejected", 1, "fr"))
    assert title == "a.csv — Affaires : 3 lignes chargées, 1 rejetée"


def test_keys_built_from_ids_exist() -> None:
    """Keys the pages compose from codes: focus reasons, decisions, stages, empty states."""
    from kpi.metrics.channels import RANKING_METRICS, FocusReason
    from kpi.schema import CHANNELS, TableKind

    codes = FocusReason.model_fields["code"].annotation.__args__
    needed = {f"focus.reason.{c}" for c in codes}
    needed |= {f"focus.{d}" for d in ("keep", "reduce", "insufficient_data")}
    needed |= {f"kpi.{m}" for m in RANKING_METRICS}
    needed |= {f"focus.metric.{m}" for m in RANKING_METRICS}
    needed |= {f"kpi.{m}" for m in ("closed", "cac")}
    needed |= {f"channel.{c}" for c in CHANNELS}
    needed |= {f"empty.{k.value}" for k in TableKind} | {f"table.{k.value}" for k in TableKind}
    needed |= {f"social.stage.{s}" for s in ("leads", "deals", "customers")}
    needed |= {f"proposals.decision_days.{s}" for s in ("median", "default")}
    for page in ("overview", "social", "proposals", "content", "channels", "comp"):
        needed |= {f"{page}.title", f"{page}.definition"}
    assert not needed - set(TEXTS), sorted(needed - set(TEXTS))


def test_page_sources_show_no_bare_text() -> None:
    """User-visible strings go through t(): st.* calls in pages take no literal prose."""
    prose = re.compile(r"st\.\w+\(\s*[\"'][A-Za-zÀ-ÿ][^\"']*\s[^\"']*[\"']")
    for path in (ROOT / "pages").glob("*.py"):
        assert not prose.search(path.read_text()), path.name


# --- formats -------------------------------------------------------------------------


def test_money() -> None:
    assert format_money(12345.5, "fr", decimals=2) == "12\u202f345,50\u00a0€"
    assert format_money(12345.5, "en", decimals=2) == "€12,345.50"
    assert format_money(12345.5, "en") == "€12,346"
    assert format_money(-1500, "fr") == "-1\u202f500\u00a0€"
    assert format_money(-1500, "en", "USD") == "-$1,500"
    assert format_money(None, "fr") == "n.d."


def test_percent_number_multiple_and_date() -> None:
    assert format_percent(0.253, "en") == "25.3%"
    assert format_percent(0.253, "fr") == "25,3\u202f%"  # espace fine insécable
    assert format_percent(None, "en") == "n/a"
    assert format_number(1234567, "fr") == "1\u202f234\u202f567"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert format_multiple(3.25, "fr") == "3,2×" or format_multiple(3.25, "fr") == "3,3×"
    assert format_multiple(3.0, "en") == "3.0×"
    assert format_date(date(2024, 3, 25), "fr") == "25 mars 2024"
    assert format_date(date(2024, 3, 25), "en") == "Mar 25, 2024"
    assert format_date(date(2026, 1, 1), "fr") == "1er janv. 2026"
    assert format_date(date(2026, 1, 1), "en") == "Jan 1, 2026"


@pytest.mark.parametrize(("currency", "en", "fr"), [
    ("CAD", "CA$12,345", "12\u202f345\u00a0$CA"),
    ("USD", "$12,345", "12\u202f345\u00a0$US"),
    ("GBP", "£12,345", "12\u202f345\u00a0£GB"),
    ("CHF", "CHF\u00a012,345", "12\u202f345\u00a0CHF"),  # a no-break space after letters
    ("JPY", "¥12,345", "12\u202f345\u00a0JPY"),
    ("BRL", "R$12,345", "12\u202f345\u00a0R$"),
])
def test_money_in_any_iso_currency(currency: str, en: str, fr: str) -> None:
    assert format_money(12345, "en", currency) == en
    assert format_money(12345, "fr", currency) == fr


def test_money_writes_each_symbol_as_babel_does_for_every_currency() -> None:
    """The symbol is written into the pattern once (issue 14: Babel looked up the currency's
    plural name on every call); Babel's own substitution gives the same text."""
    from babel import numbers

    for lang in LANGUAGES:
        for currency in sorted(numbers.list_currencies()):
            symbol = numbers.get_currency_symbol(currency, locale=i18n._locale(lang))
            for decimals in (0, 2):
                pattern = i18n._money_pattern(lang, currency, decimals)
                with_sign = pattern.replace("'" + symbol.replace("'", "''") + "'", "¤")
                assert "¤" in with_sign, (lang, currency)
                for value in (0, -1234.5, 12345.678):
                    expected = numbers.parse_pattern(with_sign).apply(
                        value, i18n._locale(lang), currency=currency, currency_digits=False)
                    assert format_money(value, lang, currency, decimals) == expected


def test_months_and_negative_numbers() -> None:
    assert format_month(date(2024, 3, 1), "en") == "Mar 2024"
    assert format_month(date(2026, 1, 1), "fr") == "janv. 2026"
    assert format_month(date(2026, 7, 1), "fr") == "juil. 2026"
    assert format_number(-1234.5, "en", 1) == "-1,234.5"
    assert format_percent(-0.05, "fr", 0) == "-5\u202f%"
    assert format_date("2024-08-01T10:00:00", "fr") == "1er août 2024"
    assert format_date(date(2024, 12, 31), "de") == "Dec 31, 2024"  # unknown language: English


def test_a_million_takes_the_plural_in_french() -> None:
    """CLDR gives French millions their own category ('many'); the table writes `other`."""
    assert t_count("data.rows_loaded", 1_000_000, "fr") == "1\u202f000\u202f000 lignes chargées"
    assert t_count("data.rows_loaded", 1_000_000, "en") == "1,000,000 rows loaded"


def test_vega_reads_dates_and_numbers_like_the_page() -> None:
    en, fr = vega_locale("en", "CAD"), vega_locale("fr", "CAD")
    assert en["number"]["currency"] == ["CA$", ""]
    assert fr["number"]["currency"] == ["", "\u00a0$CA"]
    assert (en["number"]["percent"], fr["number"]["percent"]) == ("%", "\u202f%")
    assert (fr["number"]["decimal"], fr["number"]["thousands"]) == (",", "\u202f")
    assert en["time"]["days"][0] == "Sunday" and fr["time"]["days"][1] == "lundi"  # d3: Sunday first
    assert fr["time"]["shortMonths"][1] == "févr." and fr["time"]["months"][7] == "août"
    assert en["time"]["shortMonths"][8] == "Sep" and en["time"]["months"][0] == "January"
    assert (en["time"]["date"], fr["time"]["date"]) == ("%-m/%-d/%y", "%d/%m/%Y")
    assert (en["time"]["time"], fr["time"]["time"]) == ("%-I:%M:%S\u202f%p", "%H:%M:%S")
    assert en["time"]["dateTime"] == "%x, %X"


def test_t_fills_placeholders_in_the_language() -> None:
    assert t("comp.n_of_m", "fr", n=2, m=5) == "2 sur 5"
    assert t("comp.n_of_m", "en", n=2, m=5) == "2 of 5"
    assert t("focus.reason.insufficient_closed", "fr", closed=3, min=10) == (
        "Seulement 3 affaires clôturées sur la période ; il en faut 10 pour le classer.")


@pytest.mark.parametrize(("n", "lang", "expected"), [
    (1, "fr", "1er"), (2, "fr", "2e"), (11, "fr", "11e"),
    (1, "en", "1st"), (2, "en", "2nd"), (3, "en", "3rd"), (4, "en", "4th"),
    (11, "en", "11th"), (12, "en", "12th"), (13, "en", "13th"), (21, "en", "21st"),
    (112, "en", "112th"), (1001, "fr", "1\u202f001e"),
])
def test_ordinals(n: int, lang: str, expected: str) -> None:
    assert format_ordinal(n, lang) == expected


def test_a_rank_reads_as_the_language_writes_it() -> None:
    """Pages pass the rank already formatted as a number ('1'): the template makes it 1er."""
    fr = t("focus.reason.reduce_rank", "fr", rank="1", ranked="7", metric="CA", value="5")
    en = t("focus.reason.reduce_rank", "en", rank=2, ranked=7, metric="revenue", value="5")
    assert fr.startswith("Classé 1er sur 7 par CA")
    assert en.startswith("Ranked 2nd of 7 by revenue")


def test_closed_deals_are_cloturees_and_won_deals_gagnees_in_french() -> None:
    """'Conclue' means won to a French reader: won + lost deals are 'clôturées'."""
    french = " ".join(entry["fr"] for entry in TEXTS.values())
    assert "conclu" not in french.lower()
    assert t("kpi.closed", "fr") == "Affaires clôturées"
    assert t("kpi.won_deals", "fr") == "Affaires gagnées"
    assert t("help.win_rate", "fr", won=3, closed=4) == (
        "3 gagnées sur 4 affaires clôturées (gagnées ou perdues) sur la période.")


# Things only a developer reads: snake_case names, code quotes, file or spec names.
CODE_NAME = re.compile(r"\b[a-z]+_[a-z_]+\b|`|\bdocs/|\.(md|py|toml)\b|\bKPI_[A-Z_]+|§")


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_no_code_names_in_what_users_read(key: str) -> None:
    for lang, text in TEXTS[key].items():
        shown = re.sub(r"\{[^}]*\}", "", text)  # placeholders are filled with labels
        assert not CODE_NAME.search(shown), f"{key} ({lang}): {text}"


def test_every_field_a_column_can_be_read_as_has_a_label() -> None:
    from kpi.schema import FIELDS

    names = {spec.name for specs in FIELDS.values() for spec in specs}
    assert not {f"field.{n}" for n in names} - set(TEXTS)


# --- the definitions page ---------------------------------------------------------------


def _linked_anchors() -> set[str]:
    """The anchors the pages' "How it is computed" links point at (kpi_page.header and
    kpi_page.section)."""
    calls = re.compile(r"kpi_page\.(?:header\(\s*\w+,|section\()\s*\"\w+\",\s*\"([\w-]+)\"")
    return {anchor for path in (ROOT / "pages").glob("*.py")
            for anchor in calls.findall(path.read_text())}


def test_both_languages_have_the_same_sections_and_every_linked_anchor() -> None:
    from kpi.definitions import document, sections

    anchors = {lang: [anchor for _, anchor, _ in sections(document(lang))[1]]
               for lang in LANGUAGES}
    assert anchors["fr"] == anchors["en"]
    assert _linked_anchors() <= set(anchors["en"]), _linked_anchors() - set(anchors["en"])
    assert len(_linked_anchors()) >= 6


def test_definitions_are_written_for_sales_managers() -> None:
    """No field names, file, function, spec or test references; an example per KPI family."""
    from kpi.definitions import document, sections

    for lang in LANGUAGES:
        text = document(lang)
        assert not CODE_NAME.search(re.sub(r"\{#[\w-]+\}", "", text)), (lang, CODE_NAME.search(
            re.sub(r"\{#[\w-]+\}", "", text)))
        example = "*Exemple" if lang == "fr" else "*Example"
        for title, anchor, body in sections(text)[1]:
            if anchor in _linked_anchors():
                assert example in body, (lang, title)


def test_a_heading_keeps_its_named_anchor_or_gets_its_slug() -> None:
    from kpi.definitions import sections

    intro, parts = sections("# T\n\nintro\n\n## Canaux {#channels}\nA\n\n## Proposals and "
                            "forecast\nB\n")
    assert intro == "# T\n\nintro\n\n"
    assert [(title, anchor) for title, anchor, _ in parts] == [
        ("Canaux", "channels"), ("Proposals and forecast", "proposals-and-forecast")]


def test_a_key_in_two_text_files_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """kpi/texts/ holds one entry per key: a second one would silently win."""
    monkeypatch.setattr(i18n, "TEXT_FILES", ("ui.toml", "messages.toml", "ui.toml"))
    with pytest.raises(ValueError, match="repeats keys"):
        i18n._load_texts()
