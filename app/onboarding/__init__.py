"""First run: three short screens after registration (goals, skin type, when and how long),
then the first routine to try. Skippable, resumable, and reachable again from the profile."""

from flask import Blueprint

from app.revalidation import init_blueprint

bp = Blueprint("onboarding", __name__, url_prefix="/welcome")
init_blueprint(bp)

from app.onboarding import routes  # noqa: E402,F401  (routes attach themselves to bp)
