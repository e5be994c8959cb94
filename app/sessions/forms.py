"""The session log form, used by the player's last screen and by hand."""

from datetime import datetime, timedelta

from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.form_helpers import PlainText, options
from app.models import DISCOMFORT_KINDS
from app.models.session_log import NOTES_MAX

SKIN_FEEL = options(
    [("1", "1 · Irritated"), ("2", "2 · Not great"), ("3", "3 · Fine"), ("4", "4 · Good"), ("5", "5 · Great")]
)
EARLIEST = datetime(2000, 1, 1)
MAX_MINUTES = 240


class SessionLogForm(FlaskForm):
    client_id = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9-]+$")])
    routine = SelectField("Routine", validators=[DataRequired(message="Choose the routine you did.")])
    completed_at = DateTimeLocalField("When", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    minutes = IntegerField(
        "Minutes spent",
        validators=[InputRequired("How many minutes?"), NumberRange(1, MAX_MINUTES, "Between 1 and 240 minutes.")],
    )
    # The player's exact measurement; used while it agrees with the minutes shown.
    seconds = HiddenField(validators=[Optional(), Regexp(r"^[1-9]\d{0,4}$")])
    skin_feel = RadioField("How does your skin feel?", choices=SKIN_FEEL, validators=[InputRequired("Pick 1 to 5.")])
    discomfort = RadioField(
        "Any discomfort?", choices=options([("no", "No"), ("yes", "Yes")]), default="no", validators=[InputRequired()]
    )
    discomfort_kind = SelectField(
        "What kind?",
        choices=options([("", "Choose one")] + list(DISCOMFORT_KINDS.items())),
        default="",  # left out of a post, it is the "Choose one" answer, not an unknown one
        # No Optional(): it would stop the chain on an empty answer, before validate_discomfort_kind.
    )
    notes = TextAreaField("Notes (optional)", validators=[Length(max=NOTES_MAX), PlainText()])

    def set_routines(self, routines) -> None:
        self.routine.choices = options([("", "Choose a routine")] + [(r.slug, r.title) for r in routines])

    def validate_completed_at(self, field):
        if field.data is None:
            return
        if field.data < EARLIEST:
            raise ValidationError("That date is too far back.")
        if field.data > datetime.now() + timedelta(days=2):
            raise ValidationError("That's in the future: log a session once you've done it.")

    def validate_discomfort_kind(self, field):
        if self.discomfort.data == "yes" and not field.data:
            raise ValidationError("Tell us what kind, so we can suggest what to do.")

    def spent_seconds(self) -> int:
        """The player's exact seconds, unless the person changed the minutes it showed."""
        if self.seconds.data and minutes_shown(int(self.seconds.data)) == self.minutes.data:
            return int(self.seconds.data)
        return self.minutes.data * 60

    def log_values(self) -> dict:
        """The answers, as SessionLog column values (the time is set by the view)."""
        has_discomfort = self.discomfort.data == "yes"
        return {
            "client_id": self.client_id.data,
            "seconds_spent": self.spent_seconds(),
            "skin_feel": int(self.skin_feel.data),
            "discomfort": has_discomfort,
            "discomfort_kind": self.discomfort_kind.data if has_discomfort else None,
            "notes": (self.notes.data or "").strip(),
        }


def minutes_shown(seconds: int) -> int:
    """How the player's measured time is offered in the minutes field."""
    return max(1, round(seconds / 60))
