"""Account forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, ValidationError

from app.extensions import db
from app.form_helpers import BrowserLength, PlainText
from app.models import User, normalise_email

PASSWORD_MIN = 10
PASSWORD_MAX = 200


def new_password_rules() -> list:
    """What a new password must be, wherever one is chosen."""
    return [DataRequired(), BrowserLength(min=PASSWORD_MIN, max=PASSWORD_MAX, message="Use 10 to 200 characters.")]


class RegisterForm(FlaskForm):
    display_name = StringField("Your name (optional)", validators=[BrowserLength(max=80), PlainText()])
    email = EmailField(
        "Email",
        # Stray spaces (a phone keyboard's autocomplete) shouldn't make an address "invalid".
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[DataRequired(), Email(check_deliverability=False), BrowserLength(max=254), PlainText()],
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password", validators=new_password_rules(), render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        "Repeat the password", validators=[DataRequired(), EqualTo("password", "The passwords differ.")],
        render_kw={"autocomplete": "new-password"},
    )

    def validate_email(self, field):
        if field.errors:  # not an address: nothing to look up (and a NUL byte is no query for PostgreSQL)
            return
        if db.session.scalar(db.select(User.id).where(User.email == normalise_email(field.data))):
            raise ValidationError("An account with this email exists already. Sign in instead?")


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), BrowserLength(max=254), PlainText()],
                       render_kw={"autocomplete": "email"})
    password = PasswordField("Password", validators=[DataRequired(), BrowserLength(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me signed in on this device")
