"""The KPI definitions as the app shows them, assembled from docs/kpis/ (docs/kpis/README.md).

The general rules of the README, then one file per KPI family in the order its
`<!-- order: N -->` line gives, each file holding an English and a French part
(the format is described at the top of docs/kpis/README.md). A heading names
its anchor (`## Canaux {#channels}`), so both languages keep the same ones and
the pages' "How it is computed" links (definitions#pipeline) reach them; a
heading without one gets its GitHub-style slug. Adding a family = adding a file.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs" / "kpis"
RULES = DOCS / "README.md"
_SECTION = re.compile(r"^## (.+?)(?:\s+\{#([\w-]+)\})?\s*$", re.MULTILINE)
# A part's marker on its own line: a language (`en`, `fr`) or a table (`table: quotas`).
_MARKER = re.compile(r"^<!-- ([a-z]{2}|table: \w+) -->$", re.MULTILINE)
_ORDER = re.compile(r"\A<!-- order: (\d+) -->$", re.MULTILINE)


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


def parts(text: str) -> dict[str, str]:
    """A file's parts by marker (`en`, `fr`, `table: quotas`); what precedes the first
    marker (a note for maintainers, the order line) is left out."""
    pieces = _MARKER.split(text)
    return {marker: body.strip() + "\n" for marker, body in zip(pieces[1::2], pieces[2::2],
                                                                strict=True)}


def order(path: Path) -> tuple[int, str]:
    """Where a family's file goes on the page: its order line, then its name."""
    found = _ORDER.search(path.read_text(encoding="utf-8"))
    return (int(found.group(1)) if found else 10**6, path.name)


def families() -> list[Path]:
    """Every KPI family's file, in page order."""
    return sorted((p for p in DOCS.glob("*.md") if p != RULES), key=order)


def document(lang: str) -> str:
    """The whole definitions text in one language: the general rules, then every family."""
    texts = [parts(path.read_text(encoding="utf-8"))[lang] for path in (RULES, *families())]
    return "\n".join(texts)
