"""The routine filter: query parameters validated like any other form."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from app.content.loader import SKIN_TYPES
from app.form_helpers import options

# The lengths a routine can be filtered by, in seconds (shortest, longest). Only those that
# hold at least one routine of the library are offered (`offered_lengths`), so no choice in
# the list can come back empty.
LENGTHS = {
    "quick": ("Quick: up to 5 minutes", 0, 5 * 60),
    "medium": ("5 to 10 minutes", 5 * 60 + 1, 10 * 60 - 1),
    "full": ("Full: 10 minutes or more", 10 * 60, 24 * 60 * 60),
}


def offered_lengths(routines) -> list[tuple[str, str]]:
    """(key, label) of each length that some of `routines` (anything with total_seconds) fit."""
    return [(key, label) for key, (label, shortest, longest) in LENGTHS.items()
            if any(shortest <= routine.total_seconds <= longest for routine in routines)]


class RoutineFilterForm(FlaskForm):
    """GET form: no CSRF token, since it only reads."""

    class Meta:
        csrf = False

    goal = SelectField("Skin goal", validators=[Optional()])
    length = SelectField("Length", validators=[Optional()])
    skin_type = SelectField(
        "Skin type",
        choices=options([("", "Any skin type")] + [(skin, skin.capitalize()) for skin in SKIN_TYPES]),
        validators=[Optional()],
    )

    def __init__(self, goals, routines, **kwargs):
        super().__init__(**kwargs)
        self.goal.choices = options([("", "Any goal")] + [(goal.slug, goal.name) for goal in goals])
        self.length.choices = options([("", "Any length")] + offered_lengths(routines))
