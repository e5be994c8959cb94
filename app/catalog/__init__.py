"""Browse the routine library: home, goals, routines, safety."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("catalog", __name__)
init_blueprint(bp)

from app.catalog import routes  # noqa: E402,F401  (routes attach themselves to bp)
