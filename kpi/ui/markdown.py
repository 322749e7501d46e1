"""Text from uploads shown inside Markdown must stay text.

st.warning, st.caption, st.error and expander labels render Markdown: a rep
named `[win](https://evil.example)` or a header `![x](…)` would become a link
or an image. HTML is already off (Streamlit's default); this escapes the rest.
"""

from __future__ import annotations

import re

# Enough to stop links, images, emphasis, code, headings, tables, strikethrough,
# HTML-looking text and LaTeX; a plain "." or ":" cannot start anything here.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()#!|<>~$])")


def escape(text: object) -> str:
    """`text` with every Markdown-significant character backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
