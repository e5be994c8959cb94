"""Models, one module per aggregate; import them here so Alembic sees every table."""

from app.models.catalog import Goal, Routine, Step, routine_goals
from app.models.progress_snapshot import ProgressSnapshot
from app.models.session_log import DISCOMFORT_KINDS, SessionLog
from app.models.user import User, normalise_email

__all__ = ["DISCOMFORT_KINDS", "Goal", "ProgressSnapshot", "Routine", "SessionLog", "Step", "User", "normalise_email",
           "routine_goals"]
