"""Real-browser fixtures: a live server on a free loopback port and Debian's Chromium.

pytest-playwright provides `page`; we point it at /usr/bin/chromium and never
download a browser.
"""

import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Page
from werkzeug.serving import make_server

from app.extensions import db
from bench.server import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import copy_template, drop_database, make_test_app

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Debian's chromium at {CHROMIUM}; `make test` installs it as root.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": list(CHROMIUM_ARGS), "headless": True}


class LiveServer:
    """The app served by werkzeug in a thread, on a port the OS picked."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.thread.join(timeout=5)


@contextmanager
def served(template_db, directory, blueprints=(), **config):
    """A live server on a fresh copy of the template database, with test config `config` (and
    test-only `blueprints`, registered before the first request). CSRF protection is on, as in
    production: every form a browser test posts carries its token."""
    database = copy_template(template_db, directory)
    app = make_test_app(database, **({"WTF_CSRF_ENABLED": True} | config))
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    server = LiveServer(app)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        with app.app_context():
            db.engine.dispose()
        drop_database(database)


@pytest.fixture(scope="session")
def live_server(template_db, tmp_path_factory):
    with served(template_db, tmp_path_factory.mktemp("live")) as server:
        yield server


@pytest.fixture(scope="session")
def base_url(live_server):
    """Replaces pytest-playwright's own (deprecated under pytest 9); relative goto() paths use it."""
    return live_server.url


@pytest.fixture
def axe_check(page):
    """Run axe-core in the page (or another one given) and fail with the list of violations, if any."""
    source = AXE_SOURCE.read_text()

    def check(tab=None):
        tab = tab or page
        tab.evaluate(source)
        violations = tab.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ["violations"]});
                return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                    targets: v.nodes.map(n => n.target.join(" "))}));
            }"""
        )
        assert violations == [], f"axe-core found accessibility violations on {tab.url}: {violations}"

    return check


def _is_console_error(message) -> bool:
    # The browser reports every 4xx/5xx response on the console, error pages we visit on
    # purpose included; failing sub-resources are caught below instead.
    return message.type == "error" and not message.text.startswith("Failed to load resource")


@pytest.fixture(autouse=True)
def page_stays_clean(page, live_server):
    """Every browser test also checks: no console errors, no broken sub-resource, no other host."""
    console_errors, broken_resources, foreign_requests = [], [], []
    page.on("console", lambda message: _is_console_error(message) and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400
        and response.request.resource_type != "document"
        and broken_resources.append(f"{response.status} {response.url}"),
    )
    page.on(
        "request",
        lambda request: request.url.startswith(("http:", "https:", "ws:", "wss:"))
        and not request.url.startswith(live_server.url)
        and foreign_requests.append(request.url),
    )
    yield
    assert console_errors == [], f"console errors: {console_errors}"
    assert broken_resources == [], f"sub-resources that failed: {broken_resources}"
    assert foreign_requests == [], f"requests to other hosts: {foreign_requests}"


def pytest_collection_modifyitems(items):
    """Every test in this folder drives the browser: marked so, the PostgreSQL pass of
    `make test` can leave them out (they run once, on SQLite)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.browser)


def more(page: Page):
    """The main navigation with More open: the places past the main four, and Sign out."""
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_text("More", exact=True).click()
    return nav
