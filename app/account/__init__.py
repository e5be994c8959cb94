"""Your account: profile, progress, your data (export, printable summary) and deletion."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from app.account import routes  # noqa: E402,F401  (routes attach themselves to bp)
