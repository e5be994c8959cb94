"""Small pieces every form module shares."""

import re
from collections.abc import Iterable
from types import SimpleNamespace

from wtforms import SelectChoice, SelectMultipleField, ValidationError, widgets
from wtforms.validators import Length


def options(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


class CheckboxListField(SelectMultipleField):
    """A multiple choice shown as a list of tick boxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class PlainText:
    """Reject control characters (NUL and friends) that some databases refuse to store."""

    message = "Please remove the special control characters from this text."

    def __call__(self, form, field):
        if any((ord(char) < 32 and char not in "\t\n\r") or char == "\x7f" for char in field.data or ""):
            raise ValidationError(self.message)


def one_line_break(text: str | None) -> str | None:
    """A filter: line breaks as LF. A browser posts a textarea's line breaks as CRLF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if isinstance(text, str) else text


def browser_length(text: str) -> int:
    """The length a browser checks maxlength and minlength against: UTF-16 code units (an
    emoji is 2), a line break once (HTML's "API value" of a textarea)."""
    return len(one_line_break(text).encode("utf-16-le")) // 2


class BrowserLength(Length):
    """Length, counted as the browser counts it for the maxlength/minlength this validator
    renders, so the server refuses exactly what the browser would not let through."""

    def __call__(self, form, field):
        # Length's own check and messages, shown a stand-in text of the counted length.
        counted = SimpleNamespace(data="x" * browser_length(field.data or ""), gettext=field.gettext,
                                  ngettext=field.ngettext)
        super().__call__(form, counted)


def small_number(raw: str) -> int | None:
    """A small whole number from a query string, or None. ASCII digits only (str.isdigit()
    also accepts characters such as "²" that int() rejects), and few of them, so no database
    is ever handed a number too large for its integers."""
    return int(raw) if re.fullmatch(r"[0-9]{1,5}", raw) else None
