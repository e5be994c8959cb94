"""Models, one module per aggregate; import them here so Alembic sees every table."""

from app.models.catalog import Goal, Routine, Step, routine_goals

__all__ = ["Goal", "Routine", "Step", "routine_goals"]
