"""Text from uploads shown inside Markdown must stay text.

st.warning, st.caption, st.error, st.table cells and expander labels render
Markdown: a rep named `[win](https://evil.example)` or a header `![x](…)`
would become a link or an image. HTML is already off (Streamlit's default).

GitHub-flavoured Markdown also turns bare text into links (`https://…`,
`www.…`, `name@host.tld`), and it does so on the text after backslash
escapes are resolved, so no escape stops it: an invisible word joiner inside
`://`, `www.` and after `@` does. `escape` is the one place for both.
"""

from __future__ import annotations

import re

# Links, images, emphasis, code, headings, tables, strikethrough, HTML-looking
# text, LaTeX, and a ":" before a letter (Streamlit's `:red[…]` and
# `:material/…:`). A backslash-escaped character renders as itself.
_MARKDOWN_SPECIAL = re.compile(r"[\\`*_\[\]()#!|<>~$]|:(?=[A-Za-z])")
# Where an autolink would start: between ":" and "//", "www" and ".", after "@".
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=[wW]{3})(?=\.)|(?<=@)")
WORD_JOINER = "\u2060"  # invisible, and keeps the words together


def escape(text: object) -> str:
    """`text` that Markdown shows as itself: specials escaped, autolinks broken."""
    escaped = _MARKDOWN_SPECIAL.sub(lambda match: "\\" + match.group(0), str(text))
    return _AUTOLINK.sub(WORD_JOINER, escaped)
