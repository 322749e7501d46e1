"""KPI definitions for sales managers, in the UI language (docs/kpis.md, docs/kpis.fr.md).

Only defines functions: app.py registers `render(page)` with st.navigation and
gives it its `PageContext` (SECURITY.md, "Pages render nothing when served alone").
Each "How it is computed" link points at a section anchor (definitions#pipeline):
a heading may name its anchor (`## Canaux {#channels}`) so the French file keeps
the English anchors; a heading without one gets its GitHub-style slug.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from kpi.i18n import DEFAULT_LANGUAGE
from kpi.ui.context import PageContext

DOCS = Path(__file__).resolve().parent.parent / "docs"
FILES = {"en": DOCS / "kpis.md", "fr": DOCS / "kpis.fr.md"}
_SECTION = re.compile(r"^## (.+?)(?:\s+\{#([\w-]+)\})?\s*$", re.MULTILINE)


def slug(title: str) -> str:
    """'Proposals and forecast' -> 'proposals-and-forecast' (GitHub's heading anchors)."""
    kept = re.sub(r"[^\w\- ]", "", title.lower())
    return kept.strip().replace(" ", "-")


def sections(text: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The text before the first `##` heading, then (title, anchor, body) per section."""
    parts = _SECTION.split(text)
    intro, rest = parts[0], parts[1:]
    return intro, [(title, anchor or slug(title), body)
                   for title, anchor, body in zip(rest[::3], rest[1::3], rest[2::3],
                                                  strict=True)]


def render(page: PageContext) -> None:
    lang = page.lang
    path = FILES.get(lang, FILES[DEFAULT_LANGUAGE])
    intro, parts = sections(path.read_text(encoding="utf-8"))
    st.markdown(intro)
    for title, anchor, body in parts:
        st.header(title, anchor=anchor)
        st.markdown(body)
