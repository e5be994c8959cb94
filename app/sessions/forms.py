"""The session log form, used by the player's last screen and by hand."""

import uuid
from datetime import datetime

from flask import request
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, IntegerField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.content.snapshot import catalog
from app.form_helpers import BrowserLength, PlainText, one_line_break, options
from app.models import DISCOMFORT_KINDS
from app.models.session_log import NOTES_MAX
from app.sessions.logbook import active_routine_choices
from app.timezones import (
    LocalTime,
    ahead_in_every_zone,
    from_local,
    from_local_keeping,
    is_ahead,
    is_zone_name,
    utc_now,
)

SKIN_FEEL = options(
    [("1", "1 · Irritated"), ("2", "2 · Not great"), ("3", "3 · Fine"), ("4", "4 · Good"), ("5", "5 · Great")]
)
EARLIEST = datetime(2000, 1, 1)
MAX_MINUTES = 240


class SessionLogForm(FlaskForm):
    client_id = HiddenField(validators=[DataRequired(), Length(max=64), Regexp(r"^[A-Za-z0-9-]+$")])
    routine = SelectField("Routine", validators=[DataRequired(message="Choose the routine you did.")])
    # Shown to the minute; seconds are accepted too (a browser sends them for some values).
    completed_at = DateTimeLocalField("When", format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"], validators=[Optional()])
    # The browser's zone, set by log-form.js: a visitor's typed time is read in it. Not
    # validated: a zone we do not know is ignored (browser_zone), never an error nobody sees.
    time_zone = HiddenField()
    # Set by the offline queue: a time ahead of now is then stored as now and flagged, not refused.
    queued = HiddenField()
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
    notes = TextAreaField(
        "Notes (optional)", filters=[one_line_break], validators=[BrowserLength(max=NOTES_MAX), PlainText()]
    )
    # Which zone a typed time is read in (None: a visitor whose browser sent none, read at
    # sign-in), and for an edit the stored time the form showed: see read_in().
    zone_name: str | None = None
    kept_utc: datetime | None = None

    def set_routines(self, routines) -> None:
        self.routine.choices = options([("", "Choose a routine")] + [(r.slug, r.title) for r in routines])

    def read_in(self, zone_name: str | None, kept_utc: datetime | None = None) -> None:
        """Read the typed time in this zone; for an edit, `kept_utc` is the stored time it showed."""
        self.zone_name, self.kept_utc = zone_name, kept_utc

    def browser_zone(self) -> str | None:
        """The zone the visitor's browser sent, if it is one we know."""
        return self.time_zone.data if is_zone_name(self.time_zone.data) else None

    def typed_time(self) -> LocalTime | None:
        """The typed time as an instant, once its zone is known; None when left empty."""
        if self.completed_at.data is None or self.zone_name is None:
            return None
        if self.kept_utc is not None:
            return from_local_keeping(self.completed_at.data, self.zone_name, self.kept_utc)
        return from_local(self.completed_at.data, self.zone_name)

    def validate_completed_at(self, field):
        if field.data is None:
            return
        typed = self.typed_time()
        if typed is not None and typed.utc == self.kept_utc:
            return  # sent back as the edit form showed it: nothing changes, so nothing to refuse
        if field.data < EARLIEST:
            raise ValidationError("That date is too far back.")
        if self.queued.data:
            return  # the device's clock may be ahead: stored at now and flagged (app.sessions.logbook)
        now = utc_now()
        ahead = ahead_in_every_zone(field.data, now) if typed is None else is_ahead(typed.utc, now)
        if ahead:
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


def blank_log_form(
    routine_slug: str | None = None, spent_seconds: int | None = None, client_id: str = ""
) -> SessionLogForm:
    """A log form with its client id (a new one unless given), so a doubled submit stores one session."""
    form = SessionLogForm(client_id=client_id or uuid.uuid4().hex)
    form.set_routines(active_routine_choices(routine_slug))
    if request.method == "GET":
        if routine_slug in catalog().routines_by_slug:
            form.routine.data = routine_slug
        if spent_seconds:
            form.minutes.data = minutes_shown(spent_seconds)
            form.seconds.data = str(spent_seconds)
    return form
