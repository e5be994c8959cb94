"""Browse the routine library: home, goals, routines, safety."""

from flask import Blueprint

bp = Blueprint("catalog", __name__)

from app.catalog import routes  # noqa: E402,F401  (routes attach themselves to bp)
