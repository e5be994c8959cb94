"""Models, one module per aggregate; import them here so Alembic sees every table."""

from app.models.catalog import Goal, Routine, Step, routine_goals
from app.models.enrolment import Enrolment
from app.models.progress_snapshot import ProgressSnapshot
from app.models.reminder import Reminder
from app.models.session_log import DISCOMFORT_KINDS, DeletedLog, SessionLog
from app.models.sign_in import SignIn
from app.models.user import User, normalise_email, password_matches

__all__ = ["DISCOMFORT_KINDS", "DeletedLog", "Enrolment", "Goal", "ProgressSnapshot", "Reminder", "Routine",
           "SessionLog", "SignIn", "Step", "User", "normalise_email", "password_matches", "routine_goals"]
