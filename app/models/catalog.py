"""The routine library: goals, routines and their steps, loaded from app/content/."""

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

routine_goals = Table(
    "routine_goals",
    db.metadata,
    Column("routine_id", ForeignKey("routines.id", ondelete="CASCADE"), primary_key=True),
    Column("goal_id", ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True),
    # The routine's first goal is its main one.
    Column("position", Integer, nullable=False, default=0),
)


class Goal(db.Model):
    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text)
    evidence_level: Mapped[str] = mapped_column(String(80))
    evidence: Mapped[str] = mapped_column(Text)

    routines: Mapped[list["Routine"]] = relationship(
        secondary=routine_goals, back_populates="goals", order_by="Routine.title"
    )


class Step(db.Model):
    __tablename__ = "steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    routine_id: Mapped[int] = mapped_column(ForeignKey("routines.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(160))
    instruction: Mapped[str] = mapped_column(Text)
    # The instruction in at most about 20 words, shown beside the drawing and spoken by the player.
    cue: Mapped[str] = mapped_column(Text, server_default="")
    duration_seconds: Mapped[int]
    repetitions: Mapped[int]
    pressure: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(200))
    zone: Mapped[str] = mapped_column(String(32))
    illustration: Mapped[str] = mapped_column(String(64))
    tip: Mapped[str | None] = mapped_column(Text)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    when_flagged: Mapped[str] = mapped_column(String(16))
    # The step vocabulary (app/content/loader.py): how the hands move, and how the count is meant.
    motion: Mapped[str] = mapped_column(String(24), server_default="glide")
    per: Mapped[str] = mapped_column(String(8), server_default="total")
    rows: Mapped[int] = mapped_column(server_default="1")
    hold_seconds: Mapped[int | None]
    direction_from: Mapped[str] = mapped_column(String(32), server_default="")
    direction_to: Mapped[str] = mapped_column(String(32), server_default="")
    direction_path: Mapped[str] = mapped_column(String(32), server_default="")
    # The alternative the skin check may use when this step is left out: the step's own fields.
    instead: Mapped[dict | None] = mapped_column(JSON)

    routine: Mapped["Routine"] = relationship(back_populates="steps")


class Routine(db.Model):
    __tablename__ = "routines"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(32))
    skin_types: Mapped[list[str]] = mapped_column(JSON, default=list)
    safety_notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    cautions_summary: Mapped[str] = mapped_column(Text, server_default="")
    oil: Mapped[str] = mapped_column(String(16), server_default="skin-type")
    # Slugs the routine had before a rename: they answer 301 to the current one.
    previous_slugs: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # A routine that left the content files stays, so the sessions logged with it keep it.
    retired: Mapped[bool] = mapped_column(default=False)

    goals: Mapped[list[Goal]] = relationship(
        secondary=routine_goals, back_populates="routines", order_by=routine_goals.c.position
    )
    steps: Mapped[list[Step]] = relationship(
        back_populates="routine", order_by=Step.position, cascade="all, delete-orphan"
    )

    @property
    def total_seconds(self) -> int:
        return sum(step.duration_seconds for step in self.steps)
