"""Accounts: register, sign in, sign out; sign-ins you can revoke."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

# Routes attach themselves to bp; sign_ins registers Flask-Login's user loader.
from app.auth import routes, sign_ins  # noqa: E402,F401
