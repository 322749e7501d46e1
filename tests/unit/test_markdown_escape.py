"""kpi.ui.markdown.escape: uploaded text shown in Markdown renders as itself."""

import pytest

from kpi.ui.markdown import escape


@pytest.mark.parametrize("text, escaped", [
    ("[x](https://evil.example)", "\\[x\\]\\(https://evil.example\\)"),
    ("![img](a.png)", "\\!\\[img\\]\\(a.png\\)"),
    ("**bold** _it_ `code`", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\`"),
    ("$x$", "\\$x\\$"),
    ("Léa Moreau", "Léa Moreau"),
])
def test_escape(text: str, escaped: str) -> None:
    assert escape(text) == escaped
