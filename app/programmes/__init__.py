"""Programmes: a routine a day for a week or four, with a day that waits for you."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("programmes", __name__, url_prefix="/programmes")
init_blueprint(bp)

from app.programmes import routes  # noqa: E402,F401  (routes attach themselves to bp)
