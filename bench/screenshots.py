"""Screenshots of every page for a person to look at: visitor and signed-in member, light and
dark theme, phone (390 x 844) and desktop (1366 x 900), full page. A review tool, not a test:
it asserts nothing and always writes what it could.

Serves the production configuration (gunicorn) on a fresh SQLite file with the library loaded
and one demo member with a history (bench.seed), signs in through the real form, and writes
PNGs named <who>-<page>-<theme>-<size>.png into screenshots/ (git-ignored).

    python -m bench.screenshots [--only NAME-SUBSTRING]     (make screenshots)
"""

import argparse
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.seed import PASSWORD, Person, seed_people
from bench.server import CHROMIUM, CHROMIUM_ARGS, ROOT, Gunicorn, app_env, prepare_database

OUT = ROOT / "screenshots"
DEMO_EMAIL = "demo@glowstep.example"
ROUTINE = "quick-morning-depuff"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}
THEMES = ("light", "dark")
VISITOR_PAGES = {
    "home": "/",
    "goals": "/goals",
    "goal": "/goals/puffiness-dark-circles",
    "routines": "/routines",
    "routines-quick": "/routines?length=quick",
    "routines-nomatch": "/routines?goal=muscle-tone&length=quick&skin_type=sensitive",
    "routine": f"/routines/{ROUTINE}",
    "routine-gua-sha": "/routines/gua-sha-face-and-neck",
    "programmes": "/programmes",
    "programme": "/programmes/first-week",
    "guide": "/guide",
    "safety": "/safety",
    "player-start": f"/routines/{ROUTINE}/play",
    "player-step": f"/routines/{ROUTINE}/play?step=2",
    "player-done": f"/routines/{ROUTINE}/play/done?spent=240",
    "sign-in": "/auth/login",
    "register": "/auth/register",
    "not-found": "/no-such-page",
}
MEMBER_PAGES = {
    "today": "/",
    "routines": "/routines",
    "programme": "/programmes/first-week",
    "progress": "/progress",
    "sessions": "/sessions",
    "session": None,  # the newest session's page, found on /sessions
    "log": "/sessions/new",
    "profile": "/account",
    "reminders": "/account/reminders",
    "sign-ins": "/account/sign-ins",
    "summary": "/account/summary",
    "delete": "/account/delete",
    "welcome": "/welcome/goals",
    "welcome-skin": "/welcome/skin",
    "welcome-practice": "/welcome/practice",
    "player-done": f"/routines/{ROUTINE}/play/done?spent=240",
}


def seed_demo(env: dict[str, str]) -> None:
    """One member, 'Maya', with 60 sessions over two years, onboarded, in London."""
    os.environ.update(env)
    from app import create_app
    from app.extensions import db
    from app.models import User
    from app.timezones import utc_now

    app = create_app()
    with app.app_context():
        seed_people([Person(DEMO_EMAIL, 60)])
        user = db.session.scalar(db.select(User).where(User.email == DEMO_EMAIL))
        user.display_name, user.time_zone = "Maya", "Europe/London"
        user.onboarded_at = utc_now() - timedelta(days=30)
        db.session.commit()
        db.engine.dispose()


def sign_in(page: Page, url: str) -> None:
    page.goto(url + "/auth/login")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def shoot(page: Page, url: str, pages: dict[str, str | None], who: str, theme: str, size: str, only: str) -> int:
    written = 0
    for name, path in pages.items():
        if only and only not in f"{who}-{name}":
            continue
        if path is None:  # the newest session of the member's history
            page.goto(url + "/sessions")
            path = page.locator(".history a").first.get_attribute("href")
        response = page.goto(url + path)
        if response.status >= 400 and name != "not-found":
            print(f"{who} {path}: HTTP {response.status}", file=sys.stderr)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=OUT / f"{who}-{name}-{theme}-{size}.png", full_page=True)
        written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="only pages whose <who>-<page> name contains this")
    only = parser.parse_args().only
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="glowstep-shots-") as tmp:
        env = app_env(f"sqlite:///{Path(tmp) / 'shots.db'}")
        prepare_database(env)
        seed_demo(env)
        server = Gunicorn(env, log_path=Path(tmp) / "gunicorn.log")
        written = 0
        try:
            server.wait_ready()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
                for theme in THEMES:
                    for size, viewport in SIZES.items():
                        for who, pages in (("visitor", VISITOR_PAGES), ("member", MEMBER_PAGES)):
                            context = browser.new_context(viewport=viewport, color_scheme=theme,
                                                          reduced_motion="reduce")
                            page = context.new_page()
                            if who == "member":
                                sign_in(page, server.url)
                            written += shoot(page, server.url, pages, who, theme, size, only)
                            context.close()
                browser.close()
        finally:
            server.stop()
    print(f"{written} screenshots in {OUT.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
