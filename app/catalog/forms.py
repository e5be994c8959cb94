"""The routine filter: query parameters validated like any other form."""

from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import Optional

from app.content.loader import SKIN_TYPES
from app.form_helpers import options

LENGTHS = {
    "quick": ("Quick: up to 5 minutes", 0, 5 * 60),
    "medium": ("5 to 10 minutes", 5 * 60 + 1, 10 * 60 - 1),
    "full": ("Full: 10 minutes or more", 10 * 60, 24 * 60 * 60),
}


class RoutineFilterForm(FlaskForm):
    """GET form: no CSRF token, since it only reads."""

    class Meta:
        csrf = False

    goal = SelectField("Skin goal", validators=[Optional()])
    length = SelectField(
        "Length",
        choices=options([("", "Any length")] + [(key, label) for key, (label, _, _) in LENGTHS.items()]),
        validators=[Optional()],
    )
    skin_type = SelectField(
        "Skin type",
        choices=options([("", "Any skin type")] + [(skin, skin.capitalize()) for skin in SKIN_TYPES]),
        validators=[Optional()],
    )

    def __init__(self, goals, **kwargs):
        super().__init__(**kwargs)
        self.goal.choices = options([("", "Any goal")] + [(goal.slug, goal.name) for goal in goals])
