"""Small pieces every form module shares."""

import re
from collections.abc import Iterable

from wtforms import SelectChoice, SelectMultipleField, ValidationError, widgets


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


def small_number(raw: str) -> int | None:
    """A small whole number from a query string, or None. ASCII digits only (str.isdigit()
    also accepts characters such as "²" that int() rejects), and few of them, so no database
    is ever handed a number too large for its integers."""
    return int(raw) if re.fullmatch(r"[0-9]{1,5}", raw) else None
