"""Every user-facing string, in English and French, and number/date formats per language.

One table (`TEXTS`, read from the TOML files of kpi/texts/) so a missing
translation is a test failure, not a page showing English in the middle of French.
No Streamlit here: the command line uses the same strings and formats as the app.
"""

from __future__ import annotations

import math
import re
import string
import tomllib
import unicodedata
from datetime import date
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"

NARROW_NBSP = "\u202f"  # French thousands separator (CLDR's), and space before % (ours)
NBSP = "\u00a0"  # French space before a unit (CLDR's)

# Money with no currency known (deals imported without one) reads as euros,
# the importer's default workspace currency (Mappings.currency).
DEFAULT_CURRENCY = "EUR"

TEXTS_DIR = Path(__file__).parent / "texts"
TEXT_FILES = ("ui.toml", "messages.toml")  # the app's texts; the importer's messages


def read_texts(name: str) -> dict[str, dict[str, str]]:
    """One file of kpi/texts/: {key: {language: template}}, in the file's order."""
    with (TEXTS_DIR / name).open("rb") as file:
        return tomllib.load(file)


def _load_texts() -> dict[str, dict[str, str]]:
    """The translation table; a key in two files is a mistake, not an override."""
    texts: dict[str, dict[str, str]] = {}
    for name in TEXT_FILES:
        entries = read_texts(name)
        if twice := sorted(texts.keys() & entries.keys()):
            raise ValueError(f"kpi/texts/{name} repeats keys: {twice}")
        texts.update(entries)
    return texts


TEXTS: dict[str, dict[str, str]] = _load_texts()


class _Formatter(string.Formatter):
    """str.format plus `{name:ord}`: a rank written as the language writes it (1st, 1er)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "ord":
            return format_ordinal(int(re.sub(r"\D", "", str(value))), self.lang)
        return super().format_field(value, format_spec)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled.

    A template writes `{rank:ord}` where French needs 1er and English 1st:
    the caller passes the number, the language decides how a rank reads.
    """
    entry = TEXTS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return _Formatter(lang).format(text, **values) if values else text


# --- formats: CLDR's, through Babel --------------------------------------------------
#
# Symbols, patterns, month and day names, plural and ordinal rules all come
# from Babel's locale data. Where the product deliberately departs from CLDR
# (its French typography), the departure is declared here, once:
PERCENT_SPACE = {"fr": NARROW_NBSP}  # '25,3 %' with a thin space (CLDR: a full one)
FIRST_DAY_ORDINAL = {"fr"}  # '1er mars 2024': the first of the month is an ordinal
# Ordinal suffixes per CLDR ordinal category (Babel knows the categories, not the words).
ORDINAL_SUFFIXES = {"en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
                    "fr": {"one": "er", "other": "e"}}


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def _language(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


@cache
def _with_decimals(pattern: str, decimals: int) -> str:
    """A CLDR number pattern with exactly `decimals` fraction digits ('#,##0.00' -> '#,##0.0')."""
    return re.sub(r"0(\.0+)?", "0" + ("." + "0" * decimals if decimals else ""), pattern)


# Patterns are parsed once (a table of a few hundred rows formats thousands of cells).
_parsed = cache(numbers.parse_pattern)


def t_count(key: str, n: int, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """`key.<category>` for `n` (CLDR plural rules: French 0 and 1 are singular), `{n}` formatted.

    A category the table does not write (French 'many', for millions) reads as `other`.
    """
    category = _locale(lang).plural_form(abs(n))
    if f"{key}.{category}" not in TEXTS:
        category = "other"
    return t(f"{key}.{category}", lang, n=format_number(n, lang), **values)


def format_ordinal(n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """1 -> '1st', '22nd', '13th' (en); '1er', '2e' (fr)."""
    lang = _language(lang)
    return f"{format_number(n, lang)}{ORDINAL_SUFFIXES[lang][_locale(lang).ordinal_form(n)]}"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """12345.5 -> '12,345.5' (en) or '12 345,5' (fr, narrow no-break space)."""
    if _is_missing(value):
        return t("report.na", lang)
    return _parsed(_with_decimals("#,##0", decimals)).apply(value, _locale(lang))


@cache
def _money_pattern(lang: str, currency: str, decimals: int) -> str:
    """The language's currency pattern with `decimals` digits and CLDR's currency spacing.

    Babel leaves the spacing out: a symbol ending in a letter gets a no-break
    space before the digits ('CHF 12,345'), '$' or '€' does not ('CA$12,345').
    """
    pattern = _with_decimals(_locale(lang).currency_formats["standard"].pattern, decimals)
    symbol = numbers.get_currency_symbol(currency, locale=_locale(lang))
    if _is_letter(symbol[-1]):
        pattern = re.sub(r"¤(?=[#0])", "¤" + NBSP, pattern)
    if _is_letter(symbol[0]):
        pattern = re.sub(r"(?<=0)¤", NBSP + "¤", pattern)
    # The symbol written in as a quoted literal: given a currency, Babel's apply()
    # looks up the currency's plural name on every call, even for a pattern without
    # ¤¤¤ (~100 µs, most of a drill-down table's formatting: BENCHMARKS.md, issue 14).
    return pattern.replace("¤", "'" + symbol.replace("'", "''") + "'")


def _is_letter(char: str) -> bool:
    """CLDR's currencyMatch: neither a symbol nor a separator."""
    return unicodedata.category(char)[0] not in "SZ"


def format_money(value: float | None, lang: str = DEFAULT_LANGUAGE,
                 currency: str = DEFAULT_CURRENCY, decimals: int = 0) -> str:
    """'€12,345', 'CA$12,345' (en) or '12 345 €', '12 345 $CA' (fr), for any ISO code.

    Babel carries each currency's symbol and placement per language (CLDR: CA$
    in English, $CA in French), so a CAD amount never reads as dollars or euros.
    """
    if _is_missing(value):
        return t("report.na", lang)
    lang = _language(lang)
    return _parsed(_money_pattern(lang, currency, decimals)).apply(value, _locale(lang))


def currency_affixes(lang: str, currency: str) -> tuple[str, str]:
    """What goes before and after a number in `currency`: ('CA$', '') (en), ('', ' $CA') (fr)."""
    before, _, after = format_money(1, lang, currency).partition("1")
    return before, after


def decimal_mark(lang: str) -> str:
    return _locale(lang).number_symbols["latn"]["decimal"]


@cache
def _percent_pattern(lang: str, decimals: int) -> str:
    pattern = _with_decimals(_locale(lang).percent_formats[None].pattern, decimals)
    return re.sub(r"\s(?=%)", PERCENT_SPACE[lang], pattern) if lang in PERCENT_SPACE else pattern


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """0.253 -> '25.3%' (en) or '25,3 %' (fr, narrow no-break space before %)."""
    if _is_missing(value):
        return t("report.na", lang)
    lang = _language(lang)
    return _parsed(_percent_pattern(lang, decimals)).apply(value, _locale(lang))


def format_multiple(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """3.2 -> '3.2×' (en) or '3,2×' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    return f"{format_number(value, lang, 1)}×"


def format_date(value: date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mar 25, 2024' (en) or '25 mars 2024', '1er mars 2024' (fr): CLDR's medium date."""
    if value is None:
        return t("report.na", lang)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return _format_day(value, _language(lang))


@lru_cache(maxsize=8192)  # a table's dates repeat: each day is formatted once (~40 µs)
def _format_day(value: date, lang: str) -> str:
    pattern = _locale(lang).date_formats["medium"].pattern
    if value.day == 1 and lang in FIRST_DAY_ORDINAL:
        suffix = ORDINAL_SUFFIXES[lang][_locale(lang).ordinal_form(1)]
        pattern = re.sub(r"(?<!d)d(?!d)", f"d'{suffix}'", pattern)
    return dates.format_date(value, format=pattern, locale=_locale(lang))


def format_month(month: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mar 2024' (en) or 'mars 2024' (fr): CLDR's year-and-short-month."""
    return dates.format_skeleton("yMMM", month, locale=_locale(lang))


def month_names(lang: str, width: str = "abbreviated") -> list[str]:
    """January first: 'Jan'... (en), 'janv.'... (fr); `width` 'wide' for 'January'."""
    names = _locale(lang).months["format"][width]
    return [names[m] for m in range(1, 13)]


# --- Vega's locale (the axes of kpi.charts) ------------------------------------------


def vega_locale(lang: str, currency: str = DEFAULT_CURRENCY) -> dict[str, Any]:
    """d3's number and time locale from the same CLDR data, so axis ticks read like the page."""
    locale = _locale(lang)
    symbols = locale.number_symbols["latn"]
    days = [locale.days["format"][width] for width in ("wide", "abbreviated")]
    periods = locale.day_periods["format"]["abbreviated"]
    return {
        "number": {
            "decimal": symbols["decimal"],
            "thousands": symbols["group"],
            "grouping": [3],
            "currency": list(currency_affixes(lang, currency)),
            "percent": format_percent(1, lang, 0).partition("100")[2],
        },
        "time": {
            # CLDR writes {1} for the date, {0} for the time
            "dateTime": _d3_pattern(locale.datetime_formats["medium"]).format("%X", "%x"),
            "date": _d3_pattern(locale.date_formats["short"].pattern),
            "time": _d3_pattern(locale.time_formats["medium"].pattern),
            "periods": [periods["am"], periods["pm"]],
            # d3 starts the week on Sunday (Babel's 6), then Monday (0)...
            "days": [days[0][(d + 6) % 7] for d in range(7)],
            "shortDays": [days[1][(d + 6) % 7] for d in range(7)],
            "months": month_names(lang, "wide"),
            "shortMonths": month_names(lang),
        },
    }


# CLDR date fields (letter, count) as d3 time format directives.
_D3_FIELDS = {("y", 1): "%Y", ("y", 2): "%y", ("y", 4): "%Y", ("M", 1): "%-m", ("M", 2): "%m",
              ("M", 3): "%b", ("M", 4): "%B", ("d", 1): "%-d", ("d", 2): "%d",
              ("E", 1): "%a", ("E", 2): "%a", ("E", 3): "%a", ("E", 4): "%A",
              ("H", 1): "%-H", ("H", 2): "%H", ("h", 1): "%-I", ("h", 2): "%I",
              ("m", 2): "%M", ("s", 2): "%S", ("a", 1): "%p"}


def _d3_pattern(pattern: str) -> str:
    """A CLDR date pattern ('MMM d, y') as a d3 format ('%b %-d, %Y')."""
    out = []
    for kind, token in dates.tokenize_pattern(pattern):
        out.append(_D3_FIELDS[token] if kind == "field" else token.replace("%", "%%"))
    return "".join(out)
