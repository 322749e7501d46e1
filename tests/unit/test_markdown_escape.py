"""kpi.ui.markdown.escape: uploaded text shown in Markdown renders as itself."""

import pytest

from kpi.ui.markdown import WORD_JOINER as J
from kpi.ui.markdown import escape


@pytest.mark.parametrize("text, escaped", [
    ("[x](https://evil.example)", f"\\[x\\]\\(https:{J}//evil.example\\)"),
    ("![img](a.png)", "\\!\\[img\\]\\(a.png\\)"),
    ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
    ("$x$", "\\$x\\$"),
    ("Léa Moreau", "Léa Moreau"),
    # GitHub-flavoured autolinks (bare URLs, www., e-mail addresses) are made
    # on the text after escapes are resolved: a word joiner breaks them.
    ("see https://evil.example/x", f"see https:{J}//evil.example/x"),
    ("www.evil.example", f"www{J}.evil.example"),
    ("Visit WWW.Evil.example", f"Visit WWW{J}.Evil.example"),
    ("ann@evil.example", f"ann@{J}evil.example"),
    # Streamlit's own directives: coloured text and icons.
    (":red[alert] :material/warning:", "\\:red\\[alert\\] \\:material/warning:"),
    # A plain dot or colon stays: these are not links.
    ("Dr. Who v1.2 at 10:30", "Dr. Who v1.2 at 10:30"),
    ("deals.csv: the file is empty.", "deals.csv: the file is empty."),
])
def test_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped
