"""Who is signed in, read cheaply: the users row behind this request's session.

Flask-Login keeps the signed-in user's id in the session. Pages served from memory
(app.page_cache) need only that person's row to choose the page, not an ORM object, so the
row is read with one prepared Core query, at most once per request; Flask-Login's loader
makes its User from the same row, so a page that is rendered after all reads it only once.
"""

from flask import g, session
from sqlalchemy import Engine, Row, bindparam, select
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db, login_manager
from app.models import User

USER_BY_ID = select(User.__table__).where(User.__table__.c.id == bindparam("user_id"))
SESSION_USER_ID = "_user_id"  # where Flask-Login keeps it


def user_row(user_id: str) -> Row | None:
    """The users row with this id (None when there is none), read once per request."""
    rows: dict[str, Row | None] = g.setdefault("user_rows", {})
    if user_id not in rows:
        if not user_id.isdecimal():
            return None
        rows[user_id] = read_user_row(int(user_id))
    return rows[user_id]


def read_user_row(user_id: int) -> Row | None:
    if db.session.registry.has() and db.session().in_transaction():
        # Asked mid-request (a view that queried first): read inside the request's own
        # transaction. A second connection could be the same one (a single-connection pool)
        # and end that transaction when handed back.
        return db.session.execute(USER_BY_ID, {"user_id": user_id}).one_or_none()
    return read_user_row_on(db.engine, user_id)  # no ORM transaction to start for a page from memory


def read_user_row_on(engine: Engine, user_id: int) -> Row | None:
    with engine.connect() as connection:
        return connection.execute(USER_BY_ID, {"user_id": user_id}).one_or_none()


def session_user_id() -> str | None:
    return session.get(SESSION_USER_ID)


def signed_in_row() -> Row | None:
    """The row of the person this session is signed in as; None for a visitor, or for an
    account deleted since. (A visitor holding only a remember-me cookie is Flask-Login's to
    sign back in: callers fall back to current_user when this is None.)"""
    user_id = session_user_id()
    return user_row(user_id) if user_id is not None else None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in User, made from the row without a second query
    (make_transient_to_detached): the ORM's get() spends longer building its query than the
    database spends answering it, and this runs on nearly every request."""
    row = user_row(user_id)
    if row is None:
        return None
    user = User(**row._mapping)
    make_transient_to_detached(user)
    return db.session.merge(user, load=False)  # the copy already in this session, if any
