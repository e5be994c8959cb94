"""Profile and account forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, NumberRange, Optional, ValidationError

from app.auth.forms import PASSWORD_MAX, new_password_rules
from app.content.loader import SKIN_TYPES
from app.form_helpers import BrowserLength, CheckboxListField, PlainText, options
from app.player.forms import SkinCheckForm
from app.timezones import is_known_zone, zone_choices


class ProfileForm(FlaskForm):
    display_name = StringField("Display name", validators=[BrowserLength(max=80), PlainText()])
    time_zone = SelectField("Time zone", validators=[DataRequired()])
    skin_type = SelectField(
        "Skin type",
        choices=options([("", "Not sure")] + [(skin, skin.capitalize()) for skin in SKIN_TYPES]),
    )
    goal_slugs = CheckboxListField("Goals you care about")
    weekly_target = IntegerField("Sessions a week I'm aiming for", validators=[NumberRange(1, 14)])
    show_streak = BooleanField("Show my streak")
    rest_days_per_week = IntegerField("Rest days a week that keep my streak", validators=[NumberRange(0, 3)])
    checkin_every_sessions = IntegerField(
        "Remind me to check in with an esthetician every … sessions", validators=[NumberRange(3, 100)]
    )

    def __init__(self, goals, **kwargs):
        super().__init__(**kwargs)
        self.time_zone.choices = options(zone_choices())
        self.goal_slugs.choices = options((goal.slug, goal.name) for goal in goals)

    def validate_time_zone(self, field):
        if not is_known_zone(field.data):
            raise ValidationError("Choose a time zone from the list.")


class PasswordConfirmForm(FlaskForm):
    password = PasswordField("Your password", validators=[DataRequired(), BrowserLength(max=PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Your current password",
                                     validators=[DataRequired(), BrowserLength(max=PASSWORD_MAX)],
                                     render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("New password", validators=new_password_rules(),
                                 render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Repeat the new password",
                            validators=[DataRequired(), EqualTo("new_password", "The passwords differ.")],
                            render_kw={"autocomplete": "new-password"})


class StandingSkinCheckForm(SkinCheckForm):
    """The profile's self-check: the player's skin check, kept until changed (so CSRF applies)."""

    class Meta:
        csrf = True


class SummaryRangeForm(FlaskForm):
    """The printable summary's dates: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    first_day = DateField("From", validators=[Optional()])
    last_day = DateField("To", validators=[Optional()])

    def validate_last_day(self, field):
        if field.data and self.first_day.data and field.data < self.first_day.data:
            raise ValidationError("Choose a date on or after the first one.")
