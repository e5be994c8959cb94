"""Reminders without a push server: a practice schedule, and a calendar feed of it."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("reminders", __name__)
init_blueprint(bp)

from app.reminders import routes  # noqa: E402,F401  (routes attach themselves to bp)
