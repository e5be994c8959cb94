"""Your account: profile, progress, your data (export, printable summary) and deletion."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("account", __name__)
init_blueprint(bp)

from app.account import routes, sign_ins  # noqa: E402,F401  (routes attach themselves to bp)
