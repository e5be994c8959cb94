"""The guided player: a start screen with today's skin check, then one step at a time."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("player", __name__)
init_blueprint(bp)

from app.player import routes  # noqa: E402,F401  (routes attach themselves to bp)
