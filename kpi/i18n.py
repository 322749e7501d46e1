"""Every user-facing string, in English and French, and number/date formats per language.

One table (`TEXTS`) so a missing translation is a test failure, not a page
showing English in the middle of French. No Streamlit here: the command line
uses the same strings and formats as the app.
"""

from __future__ import annotations

import math
from datetime import date

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"

NARROW_NBSP = "\u202f"  # French thousands separator
NBSP = "\u00a0"  # French space before a unit or percent sign

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}

MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
           "nov.", "déc."),
}

TEXTS: dict[str, dict[str, str]] = {
    # --- command line report -------------------------------------------------
    "report.title": {"en": "Sales KPIs", "fr": "KPI commerciaux"},
    "report.period": {"en": "Period: {start} to {end}", "fr": "Période : du {start} au {end}"},
    "report.pipeline": {"en": "Pipeline", "fr": "Pipeline"},
    "report.win_rate": {"en": "Win rate", "fr": "Taux de transformation"},
    "report.won_revenue": {"en": "Won revenue", "fr": "Chiffre d'affaires gagné"},
    "report.avg_deal_value": {"en": "Average deal value", "fr": "Valeur moyenne d'une affaire"},
    "report.cycle": {"en": "Sales cycle (average / median)",
                     "fr": "Cycle de vente (moyen / médian)"},
    "report.days": {"en": "{n} days", "fr": "{n} jours"},
    "report.open": {"en": "Open pipeline", "fr": "Pipeline ouvert"},
    "report.open_value": {"en": "{n} deals worth {value}", "fr": "{n} affaires pour {value}"},
    "report.social": {"en": "Social selling ({channel})", "fr": "Social selling ({channel})"},
    "report.social_line": {"en": "{leads} leads, {customers} customers ({rate})",
                           "fr": "{leads} pistes, {customers} clients ({rate})"},
    "report.proposals": {"en": "Proposals", "fr": "Propositions commerciales"},
    "report.proposals_line": {
        "en": "{sent} sent, {won} won, {lost} lost, {pending} pending; conversion {rate}",
        "fr": "{sent} envoyées, {won} gagnées, {lost} perdues, {pending} en attente ; "
              "transformation {rate}"},
    "report.forecast": {"en": "Forecast from pending proposals", "fr": "Prévision des devis en attente"},
    "report.content": {"en": "Marketing content", "fr": "Contenus marketing"},
    "report.content_line": {
        "en": "usage rate {rate}; {decks} decks, {articles} articles, {posts} own posts; "
              "{views} views, {likes} likes",
        "fr": "taux d'usage {rate} ; {decks} présentations, {articles} articles, {posts} posts "
              "perso ; {views} vues, {likes} j'aime"},
    "report.channels": {"en": "Channels to focus on", "fr": "Canaux sur lesquels se concentrer"},
    "report.keep": {"en": "Keep", "fr": "À garder"},
    "report.reduce": {"en": "Spend less on", "fr": "Réduire"},
    "report.insufficient": {"en": "Not enough data", "fr": "Pas assez de données"},
    "report.compensation": {"en": "Packages vs revenue", "fr": "Packages vs chiffre d'affaires"},
    "report.team_ratio": {"en": "Team ratio", "fr": "Ratio de l'équipe"},
    "report.rep_line": {"en": "{rep}: {ratio} ({revenue} for {package})",
                        "fr": "{rep} : {ratio} ({revenue} pour {package})"},
    "report.no_package": {"en": "Reps without package data", "fr": "Commerciaux sans package"},
    "report.none": {"en": "none", "fr": "aucun"},
    "report.na": {"en": "n/a", "fr": "n.d."},
    "report.import": {"en": "Import", "fr": "Import"},
    "report.import_line": {
        "en": "{file}: {table}, {read} rows read, {accepted} accepted, {rejected} rejected",
        "fr": "{file} : {table}, {read} lignes lues, {accepted} acceptées, {rejected} rejetées"},
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The text for `key` in `lang`, with `{name}` placeholders filled."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 0) -> str:
    """12345.5 -> '12,345.5' (en) or '12 345,5' (fr, narrow no-break space)."""
    if _is_missing(value):
        return t("report.na", lang)
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NARROW_NBSP).replace(".", ",")
    return text


def format_money(value: float | None, lang: str = DEFAULT_LANGUAGE, currency: str = "EUR",
                 decimals: int = 0) -> str:
    """'€12,345' (en) or '12 345 €' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    number = format_number(abs(value), lang, decimals)
    sign = "-" if value < 0 else ""
    if lang == "fr":
        return f"{sign}{number}{NBSP}{symbol}"
    return f"{sign}{symbol}{number}"


def format_percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int = 1) -> str:
    """0.253 -> '25.3%' (en) or '25,3 %' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    number = format_number(value * 100, lang, decimals)
    return f"{number}{NBSP}%" if lang == "fr" else f"{number}%"


def format_multiple(value: float | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """3.2 -> '3.2×' (en) or '3,2×' (fr)."""
    if _is_missing(value):
        return t("report.na", lang)
    return f"{format_number(value, lang, 1)}×"


def format_date(value: date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """'Mar 25, 2024' (en) or '25 mars 2024' (fr)."""
    if value is None:
        return t("report.na", lang)
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    month = MONTHS[lang if lang in MONTHS else DEFAULT_LANGUAGE][value.month - 1]
    if lang == "fr":
        return f"{value.day} {month} {value.year}"
    return f"{month} {value.day}, {value.year}"
