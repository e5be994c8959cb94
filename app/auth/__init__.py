"""Accounts: register, sign in, sign out."""

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from app import signed_in  # noqa: E402,F401  (registers Flask-Login's user loader)
from app.auth import routes  # noqa: E402,F401  (routes attach themselves to bp)
