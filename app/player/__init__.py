"""The guided player: a start screen with today's skin check, then one step at a time."""

from flask import Blueprint

from app.player.coach import about_time, halfway_cue, spoken_count
from app.revalidation import init_blueprint

bp = Blueprint("player", __name__)
init_blueprint(bp)


@bp.context_processor
def coach_words() -> dict:
    """The step page's spoken count, halfway cue and no-script length (app.player.coach)."""
    return {"spoken_count": spoken_count, "halfway_cue": halfway_cue, "about_time": about_time}


from app.player import routes  # noqa: E402,F401  (routes attach themselves to bp)
