"""The practice schedule form."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, TimeField
from wtforms.validators import InputRequired, NumberRange, ValidationError

from app.form_helpers import CheckboxListField, options
from app.models.reminder import WEEKDAYS


class ReminderForm(FlaskForm):
    enabled = BooleanField("Remind me")
    weekdays = CheckboxListField("On these days", coerce=int,
                                 choices=options(enumerate(WEEKDAYS)))
    time_of_day = TimeField("At", validators=[InputRequired("Choose a time of day.")])
    minutes = IntegerField("For how many minutes", validators=[NumberRange(3, 60, "Choose 3 to 60 minutes.")])

    def validate_weekdays(self, field):
        if self.enabled.data and not field.data:
            raise ValidationError("Choose at least one day, or untick “Remind me”.")
