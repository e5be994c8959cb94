"""Sign-ins you can revoke: start one, load the person behind a cookie, end one or all.

Flask-Login keeps `User.get_id()` — "<user id>:<sign-in token>" — in the session cookie and,
when asked, in the remember-me cookie. The loader accepts it only while that sign-in's row
is active (app.models.sign_in), reading the person and the sign-in in one query on every
request, so ending a sign-in takes effect at once on every process. A cookie whose sign-in
has ended signs nobody in; the person is told once, and the remember-me cookie is cleared.
"""

from datetime import datetime

from flask import Flask, current_app, flash, g, request, session
from flask_login import current_user, login_user, logout_user
from flask_login.config import COOKIE_NAME as REMEMBER_COOKIE
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select, update
from ua_parser import parse as parse_user_agent

from app.extensions import db, login_manager
from app.models import SignIn, User
from app.models.sign_in import USER_AGENT_MAX, new_token, token_digest
from app.timezones import utc_now

SESSION_IDENTITY = "_user_id"  # where Flask-Login keeps get_id()
SESSION_REMEMBER = "_remember"  # "clear" asks Flask-Login to delete the remember-me cookie
ENDED_MESSAGE = ("You were signed out because this sign-in was ended, from this device or another one. "
                 "Sign in again to carry on.")


def start_sign_in(user: User, remember: bool = False) -> SignIn:
    """A new sign-in for `user` from this browser, stored and committed, then signed in
    through Flask-Login. The CSRF token changes with it."""
    token = new_token()
    sign_in = SignIn(user=user, token_hash=token_digest(token), remember=remember,
                     user_agent=(request.user_agent.string or "")[:USER_AGENT_MAX])
    db.session.add(sign_in)
    db.session.commit()
    user.sign_in_token = token
    g.sign_in = sign_in
    login_user(user, remember=remember)
    renew_csrf_token()
    return sign_in


def end_this_sign_in() -> None:
    """Sign out here: end this browser's sign-in for every process, forget it in the cookie,
    and change the CSRF token."""
    if (sign_in := g.get("sign_in")) is not None:
        end_sign_ins(sign_in.user_id, only=sign_in.id)
        db.session.commit()
    forget_sign_in()


def forget_sign_in() -> None:
    """Sign this browser out (its cookies no longer name anyone) and change the CSRF token."""
    logout_user()
    g.pop("sign_in", None)
    renew_csrf_token()


def end_sign_ins(user_id: int, only: int | None = None, keep: int | None = None) -> int:
    """End the person's active sign-ins (just `only`, or all but `keep`) in the caller's
    transaction; the number ended. The query names the owner, so nobody ends another's."""
    statement = (update(SignIn).where(SignIn.user_id == user_id, SignIn.ended_at.is_(None))
                 .values(ended_at=utc_now()))
    if only is not None:
        statement = statement.where(SignIn.id == only)
    if keep is not None:
        statement = statement.where(SignIn.id != keep)
    return db.session.execute(statement).rowcount


def active_sign_ins(user_id: int, now: datetime) -> list[SignIn]:
    """The person's sign-ins that still let a cookie in, most recently used first."""
    rows = db.session.scalars(select(SignIn).where(SignIn.user_id == user_id, SignIn.ended_at.is_(None))
                              .order_by(SignIn.last_seen_at.desc(), SignIn.id.desc()))
    return [sign_in for sign_in in rows if sign_in.is_active(now)]


def current_sign_in() -> SignIn | None:
    """The sign-in this request came through (None for a visitor)."""
    return g.get("sign_in") if current_user.is_authenticated else None


def device_name(user_agent: str) -> str:
    """"Chrome on Android", "Safari on iPhone", … from a User-Agent header, for the list of
    sign-ins; "An unknown browser" when it says nothing useful."""
    parsed = parse_user_agent(user_agent)
    browser = parsed.user_agent.family if parsed.user_agent else None
    device = parsed.device.family if parsed.device and parsed.device.family not in ("Other", "Generic Smartphone") \
        else None
    system = parsed.os.family if parsed.os and parsed.os.family != "Other" else None
    where = device if device and device not in ("Mac", "Other") else system
    if browser and browser != "Other":
        return f"{browser} on {where}" if where else browser
    return f"A browser on {where}" if where else "An unknown browser"


def renew_csrf_token() -> None:
    """Forget this session's CSRF token so the next form gets a new one: a token copied
    before a sign-in or sign-out is worth nothing after it."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    generate_csrf()


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The person behind "<user id>:<token>" while that sign-in is active; None otherwise
    (Flask-Login then treats the request as a visitor's). One query; last_seen_at is
    written at most every few minutes."""
    user_id, _, token = identity.partition(":")
    if not user_id.isdecimal() or not token:
        return None
    found = db.session.execute(
        select(User, SignIn).join(SignIn, SignIn.user_id == User.id)
        .where(SignIn.token_hash == token_digest(token), User.id == int(user_id), SignIn.ended_at.is_(None))
    ).one_or_none()
    now = utc_now()
    if found is None or not found.SignIn.is_active(now):
        return None
    user, sign_in = found
    if sign_in.seen(now):
        db.session.commit()  # before the view runs: see notice_ended_sign_in
    user.sign_in_token = token
    g.sign_in = sign_in
    return user


def notice_ended_sign_in() -> None:
    """Load the person before the view runs, and when the cookies name a sign-in that has
    ended (or an account that is gone), say so once and clear them."""
    if request.endpoint in (None, "static"):
        return
    if current_user.is_authenticated:
        return
    if SESSION_IDENTITY in session:
        session.pop(SESSION_IDENTITY)
        session.pop("_fresh", None)
        flash(ENDED_MESSAGE, "info")
    if current_app.config.get("REMEMBER_COOKIE_NAME", REMEMBER_COOKIE) in request.cookies:
        session[SESSION_REMEMBER] = "clear"


def init_app(app: Flask) -> None:
    app.before_request(notice_ended_sign_in)
