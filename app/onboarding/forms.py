"""The three onboarding screens' forms."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField
from wtforms.validators import DataRequired, ValidationError

from app.content.loader import SKIN_TYPES
from app.form_helpers import CheckboxListField, options
from app.timezones import is_known_zone, zone_choices
from app.today import MINUTES_CHOICES, PRACTICE_TIMES

MAX_GOALS = 3


class GoalsForm(FlaskForm):
    goal_slugs = CheckboxListField("What would you like to work on? Pick up to three.")

    def __init__(self, goals, **kwargs):
        super().__init__(**kwargs)
        self.goal_slugs.choices = options((goal.slug, goal.name) for goal in goals)

    def validate_goal_slugs(self, field):
        if len(field.data or []) > MAX_GOALS:
            raise ValidationError("Pick up to three, so your suggestions stay focused.")


class SkinForm(FlaskForm):
    skin_type = RadioField(
        "How would you describe your skin?",
        choices=options([(skin, skin.capitalize()) for skin in SKIN_TYPES] + [("", "Not sure")]),
        default="",
    )


class PracticeForm(FlaskForm):
    practice_minutes = RadioField("How long would you like to practise?", coerce=int,
                                  choices=options((minutes, f"{minutes} minutes") for minutes in MINUTES_CHOICES),
                                  default=10)
    practice_time = RadioField("When suits you?", choices=options(PRACTICE_TIMES.items()), default="evening")
    time_zone = SelectField("Your time zone", validators=[DataRequired()])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.time_zone.choices = options(zone_choices())

    def validate_time_zone(self, field):
        if not is_known_zone(field.data):
            raise ValidationError("Choose a time zone from the list.")
