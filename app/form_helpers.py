"""Small pieces every form module shares."""

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
