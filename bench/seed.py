"""Seeded people and histories for the benchmarks and the statement-budget tests.

Everything is drawn from fixed seeds, so every run reads the same database. Rows go in with
bulk inserts in one transaction: the forms would take hours for a thousand people.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import insert, select

from app.extensions import db
from app.models import Routine, SessionLog, User
from app.models.user import PASSWORD_METHOD
from app.summaries import practice_summary_of
from app.timezones import utc_now

HISTORY_DAYS = 730
PASSWORD = "bench password"  # throwaway accounts in a throwaway database
GOALS = ("circulation", "tension-relief", "lymphatic-drainage", "product-absorption", "puffiness-dark-circles",
         "muscle-tone", "collagen-firmness")
SKIN_TYPES = ("dry", "oily", "combination", "normal", "sensitive")
ZONES = ("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "UTC")


@dataclass(frozen=True)
class Person:
    email: str
    sessions: int


def session_rows(user_id: int, routine_ids: list[int], now: datetime, count: int, seed: int = 6) -> list[dict]:
    """`count` logs spread over HISTORY_DAYS before `now`, the same for the same seed.
    Also how the statement-budget tests (tests/test_queries.py) give a person a long history."""
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        completed_at = now - timedelta(seconds=rng.uniform(0, HISTORY_DAYS * 86_400))
        discomfort = rng.random() < 0.02
        rows.append({
            "user_id": user_id,
            "routine_id": rng.choice(routine_ids),
            "client_id": uuid.uuid4().hex,
            "completed_at": completed_at,
            "seconds_spent": rng.randint(120, 1200),
            "skin_feel": rng.randint(1, 5),
            "discomfort": discomfort,
            "discomfort_kind": "redness" if discomfort else None,
            "notes": "",
            "created_at": completed_at,
        })
    return rows


def skewed_people(count: int, heavy: int = 10, seed: int = 7) -> list[Person]:
    """`count` people whose histories are skewed as real ones are: `heavy` of them with
    10,000 sessions, one in ten of the rest with 100 to 1,000, everyone else under 100."""
    rng = random.Random(seed)
    people = []
    for number in range(count):
        if number < heavy:
            sessions = 10_000
        elif number % 10 == 0:
            sessions = rng.randint(100, 1_000)
        else:
            sessions = int(rng.paretovariate(1.2)) % 100
        people.append(Person(f"person{number}@bench.example", sessions))
    return people


def seed_people(people: list[Person]) -> None:
    """Store the people (one password, hashed once) and their histories, in the app context."""
    from werkzeug.security import generate_password_hash

    password_hash = generate_password_hash(PASSWORD, method=PASSWORD_METHOD)
    routine_ids = list(db.session.scalars(select(Routine.id).where(Routine.retired.is_(False))))
    now = utc_now()
    rng = random.Random(8)
    for number, person in enumerate(people):
        user = User(email=person.email, password_hash=password_hash, display_name=f"Person {number}",
                    time_zone=rng.choice(ZONES), skin_type=rng.choice(SKIN_TYPES),
                    goal_slugs=rng.sample(GOALS, rng.randint(1, 3)))
        db.session.add(user)
        db.session.flush()
        if person.sessions:
            db.session.execute(insert(SessionLog), session_rows(user.id, routine_ids, now, person.sessions, number))
    db.session.commit()
    # Each person's stored summary, as the app keeps it from their first page on: a seeded
    # history without one would make the first page of each heavy reader fold 10,000 rows.
    for user in db.session.scalars(select(User)):
        practice_summary_of(user)
