"""The guided player: a start screen with today's skin check, then one step at a time."""

from flask import Blueprint

bp = Blueprint("player", __name__)

from app.player import routes  # noqa: E402,F401  (routes attach themselves to bp)
