"""Messages as codes with parameters, rendered in the reader's language.

The importer has no notion of a session language (it also serves the command
line), so it never writes a sentence: it says what happened as a `Message`, a
code (an i18n key whose English and French texts live in
`kpi/texts/messages.toml`, read by `kpi.i18n`) and typed parameters. `render`
turns one into text for a language when it is shown: the Data page, the
rejected-rows CSV, the command line's text and its English JSON.

Parameters: ints and floats are formatted the language's way (`{n}` groups
thousands; a format spec such as `{year:d}` or `{limit:.0e}` keeps Python's
own formatting), strings come through as they are (`{value!r}` quotes one),
a nested Message is rendered in the same language (a phrase inside a phrase,
a field label `field.<name>`, a table label `table.<kind>`), and a list is
joined by its format spec (`{values}` with ", ", `{clauses:; }` with "; ").
"""

from __future__ import annotations

import re
import string
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict

from kpi.i18n import DEFAULT_LANGUAGE, TEXTS, format_number

_LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x85\u2028\u2029]+\s*")

Scalar = int | float | str


class Message(BaseModel):
    """What the importer has to say: `code` is an i18n key, `params` fill its placeholders."""

    model_config = ConfigDict(frozen=True)

    code: str
    params: dict[str, Scalar | Message | list[Scalar | Message]] = {}

    def __hash__(self) -> int:  # params is a dict: hash the content
        return hash(self.model_dump_json())

    def __str__(self) -> str:
        return render(self, DEFAULT_LANGUAGE)


def msg(code: str, **params: Any) -> Message:
    """`msg("note.footer_skipped")` -> Message(code="msg.note.footer_skipped")."""
    return Message(code=f"msg.{code}", params=params)


def field_label(name: str) -> Message:
    """A canonical field, shown as the label the mapping editor gives it."""
    return Message(code=f"field.{name}")


def table_label(kind: str) -> Message:
    """A table kind ('deals'), shown as the name the Data page gives it."""
    return Message(code=f"table.{kind}")


def cannot_read(path: object, exc: OSError) -> Message:
    """A file of the command line the system refused to read, with the system's reason."""
    return msg("cli.cannot_read", file=str(path), reason=exc.strerror or str(exc))


def _from_legacy(value: object) -> object:
    """A report saved before messages had codes held English text: kept as it is."""
    return msg("verbatim", text=value) if isinstance(value, str) else value


# The type of a report's message field: also reads a snapshot saved with plain text.
Text = Annotated[Message, BeforeValidator(_from_legacy)]


class _Renderer(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion == "r" and isinstance(value, list):
            return [repr(item) for item in value]
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, Message):
            return render(value, self.lang)
        if isinstance(value, list):
            return (format_spec or ", ").join(self.format_field(item, "") for item in value)
        if isinstance(value, int | float) and not isinstance(value, bool) and not format_spec:
            return format_number(value, self.lang, 0 if isinstance(value, int) else 1)
        return super().format_field(value, format_spec)


def template(code: str, lang: str) -> str:
    """The text of `code` in `lang` (English when the language has none)."""
    entry = TEXTS[code]
    return entry.get(lang) or entry[DEFAULT_LANGUAGE]


def render(message: Message, lang: str = DEFAULT_LANGUAGE) -> str:
    """The message as one line of text in `lang`."""
    text = _Renderer(lang).vformat(template(message.code, lang), (), message.params)
    return _LINE_BREAKS.sub(" ", text).strip()


class MessageError(Exception):
    """An error said as a Message, so whoever shows it picks the language.

    `message` is the code with its parameters (a library's or a server's own
    reason is a parameter, never translated); `str()` is its English on one
    line, for logs and for code that only wants some text.
    """

    def __init__(self, message: Message) -> None:
        super().__init__(render(message))
        self.message = message


class InvalidValue(MessageError, ValueError):
    """A refused value where the contract is a ValueError (a pydantic validator reads
    the Message back from the error's context, not from its English)."""


def render_all(messages: list[Message], lang: str = DEFAULT_LANGUAGE) -> list[str]:
    return [render(m, lang) for m in messages]
