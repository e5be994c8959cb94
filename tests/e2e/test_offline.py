"""Offline and updates, with the server taken away (issue 18): the app runs in a process of its
own on a fixed port, stopped and started again on the same SQLite file. Playwright's offline
mode does not reach service workers, and headless Chromium never fires Background Sync, so
these tests take the server away and check the fallback (the next page load sends the queue).
CSRF is on, as in production."""

import os
import re
import shutil
import socket
import subprocess  # nosec B404
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Routine, SessionLog, User
from app.offline.build import build_service_worker, service_worker_source
from app.static_files import folder_fingerprint
from tests.conftest import ON_POSTGRES, copy_template
from tests.e2e.conftest import more
from tests.e2e.test_log_once import register
from tests.e2e.test_player import PAGE_BUDGET, SPEECH_STUB, transferred

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "app" / "static"
FIRST, SECOND = "quick-morning-depuff", "quick-jaw-and-cheek-wake-up"

pytestmark = pytest.mark.skipif(ON_POSTGRES, reason="the app process runs on a SQLite file")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppProcess:
    """`flask run` on a fixed port and database, serving one build (static files + service
    worker); stop() takes the server away, start() brings it (or another build) back."""

    def __init__(self, database: Path, port: int):
        self.database, self.port = database, port
        self.url = f"http://127.0.0.1:{port}"
        self.secret = uuid.uuid4().hex  # the same across restarts: sign-ins survive them
        self.process = None

    def start(self, static: Path, service_worker: Path) -> None:
        env = {**os.environ, "FLASK_APP": "wsgi", "GLOWSTEP_SECRET_KEY": self.secret,
               "GLOWSTEP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.database}",
               "GLOWSTEP_RATELIMIT_ENABLED": "false", "GLOWSTEP_STATIC_FOLDER": str(static),
               "GLOWSTEP_SERVICE_WORKER": str(service_worker)}
        env.pop("DATABASE_URL", None)
        self.process = subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "flask", "run", "--port", str(self.port), "--no-reload", "--no-debugger"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1):  # nosec B310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the app process did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)

    def sessions(self, email: str) -> list[str]:
        """The slugs of the routines this person has logged, one per stored session."""
        engine = create_engine(f"sqlite:///{self.database}")
        with Session(engine) as session:
            slugs = session.scalars(select(Routine.slug).join(SessionLog.routine).join(SessionLog.user)
                                    .where(User.email == email).order_by(Routine.slug))
            found = list(slugs)
        engine.dispose()
        return found


@pytest.fixture(scope="module")
def first_build():
    """The static files as they are, and their service worker (`make offline` made it already,
    unless the files changed since)."""
    out = ROOT / "build" / "sw.js"
    if service_worker_source(str(out), folder_fingerprint(STATIC)) is None:
        build_service_worker(STATIC, out)
    return STATIC, out


@pytest.fixture(scope="module")
def app_process(template_db, tmp_path_factory, first_build):
    directory = tmp_path_factory.mktemp("offline")
    server = AppProcess(copy_template(template_db, directory), free_port())
    server.start(*first_build)
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def context(browser, app_process):
    context = browser.new_context(base_url=app_process.url)
    yield context
    context.close()


CONTROLLED = "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null"


def controlled(tab: Page) -> None:
    """Wait until the service worker controls the page. Its first install claims the open
    pages (clientsClaim), but Chromium can miss a page whose navigation began before the
    worker activated; that page's next load is controlled, for a visitor as here."""
    tab.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    try:
        tab.wait_for_function(CONTROLLED, timeout=5_000)
    except PlaywrightTimeoutError:
        tab.reload()
        tab.wait_for_function(CONTROLLED)


def cached(tab: Page, url: str) -> None:
    tab.wait_for_function("url => caches.match(url).then(Boolean)", arg=url)


def log_offline(tab: Page, slug: str, spent: int) -> None:
    tab.goto(f"/routines/{slug}/play/done?spent={spent}")
    tab.get_by_role("radio", name="4 · Good").check()
    tab.get_by_role("button", name="Log this session").click()
    expect(tab.get_by_text("No connection: this session is saved on this device")).to_be_visible()


def test_two_routines_finished_offline_are_stored_once_each(context, app_process, first_build, browser):
    email = f"offline-{uuid.uuid4().hex[:8]}@example.com"
    tab = context.new_page()
    register(tab, email)

    # The first visit to the player, before any background caching, stays within its weight:
    # the service worker's own script (registered after load) and what it fetches to precache
    # are that caching, and whether they land before the network goes idle is a race.
    responses = []
    tab.on("response", lambda response: responses.append(response))
    tab.goto(f"/routines/{FIRST}/play?step=1", wait_until="networkidle")
    weight = sum(transferred(response) for response in responses
                 if not response.url.endswith("/sw.js") and response.request.service_worker is None)
    assert weight <= PAGE_BUDGET, weight
    controlled(tab)

    # Visited once under the service worker: the whole routine is kept. The second, from its
    # page's "Keep for offline".
    tab.goto(f"/routines/{FIRST}/play")
    cached(tab, f"/offline/routines/{FIRST}.json")
    tab.goto(f"/routines/{SECOND}")
    tab.get_by_role("button", name="Keep for offline").click()
    expect(tab.get_by_text("Kept on this device: it plays without a connection.")).to_be_visible()

    app_process.stop()

    # Without the server: both routines play from their first step to their last, a page
    # that needs the server says so, and each finished session waits on the device.
    for slug in (FIRST, SECOND):
        urls = tab.evaluate("slug => caches.match(`/offline/routines/${slug}.json`).then(r => r.json())", slug)["urls"]
        for url in [url for url in urls if "step=" in url]:
            tab.goto(url)
            expect(tab.get_by_role("button", name=re.compile("Next step|Finish|Done|Start"))).to_be_visible()
    tab.goto("/sessions")
    expect(tab.get_by_role("heading", name="You're offline")).to_be_visible()
    expect(tab.locator(".offline-kept-list").get_by_role("link")).to_have_text(sorted(["Quick morning de-puff",
                                                                           "Quick jaw and cheek wake-up"]))
    log_offline(tab, FIRST, 200)
    expect(tab.get_by_text("1 session waiting to sync.")).to_be_visible()
    log_offline(tab, SECOND, 300)
    expect(tab.get_by_text("2 sessions waiting to sync.")).to_be_visible()
    tab.reload()
    expect(tab.get_by_text("2 sessions waiting to sync.")).to_be_visible()
    # Signing out first warns that they have not synced, and keeps them.
    more(tab).get_by_role("button", name="Sign out").click()
    expect(tab.get_by_text("2 sessions from your account haven't synced yet. They stay on this device and are sent "
                           "the next time you sign in here.")).to_be_visible()
    expect(tab.get_by_role("button", name="Sign out anyway")).to_be_visible()

    app_process.start(*first_build)

    # Meanwhile the first was logged from another device (its form carries the same token).
    other = browser.new_context(base_url=app_process.url).new_page()
    other.goto("/auth/login")
    other.get_by_label("Email").fill(email)
    other.get_by_label("Password", exact=True).fill("massage every evening")
    other.get_by_role("button", name="Sign in").click()
    other.goto(f"/routines/{FIRST}/play/done?spent=200")
    other.get_by_role("radio", name="5 · Great").check()
    other.get_by_role("button", name="Log this session").click()
    expect(other).to_have_url(re.compile(r"/sessions/\d+$"))
    other.context.close()

    # Back online, the next page load sends the queue: one session of each routine.
    for _ in range(2):  # and a reload after that sends nothing more
        tab.reload()
        expect(tab.locator("#offline-banner")).to_have_attribute("data-waiting", "0")
        expect(tab.locator("#offline-banner")).to_be_hidden()
    assert app_process.sessions(email) == sorted([FIRST, SECOND])

    # A kept routine can be removed from the device.
    tab.goto(f"/routines/{SECOND}")
    keep = tab.get_by_role("button", name="Keep for offline")
    expect(keep).to_have_attribute("aria-pressed", "true")
    mark = "button => getComputedStyle(button, '::before').content"  # not the colour: hover shares it
    assert keep.evaluate(mark) == '"✓"', "kept looks pressed"
    keep.click()
    expect(tab.get_by_text("Removed from this device.")).to_be_visible()
    assert keep.evaluate(mark) == "none", "and not once removed"
    assert not tab.evaluate("url => caches.match(url).then(Boolean)", f"/routines/{SECOND}/play?step=1")


# A log kept on this device that the server now refuses as it is: the done page's own form,
# as the queue keeps it, with minutes past today's limit (as if a rule had changed since).
KEEP_REFUSABLE = """async () => {
    const form = document.querySelector("form[data-offline-log]");
    const values = new URLSearchParams([...new FormData(form)].filter(([name]) => name !== "csrf_token"));
    values.set("skin_feel", "4");
    values.set("minutes", "999");
    values.set("queued", "1");
    const db = await new Promise((resolve, reject) => {
        const opening = indexedDB.open("glowstep-offline", 1);
        opening.onsuccess = () => resolve(opening.result);
        opening.onerror = reject;
    });
    await new Promise((resolve, reject) => {
        const writing = db.transaction("logs", "readwrite");
        writing.objectStore("logs").put({ clientId: values.get("client_id"), body: values.toString(),
            account: document.getElementById("offline-banner").dataset.account, action: form.action,
            url: location.href, queuedAt: Date.now() });
        writing.oncomplete = resolve;
        writing.onerror = reject;
    });
    db.close();
}"""


def test_a_log_the_server_refuses_waits_for_review_and_is_stored_once_fixed(context, app_process):
    email = f"offline-refused-{uuid.uuid4().hex[:8]}@example.com"
    tab = context.new_page()
    register(tab, email)
    tab.goto(f"/routines/{FIRST}/play/done?spent=200")
    banner = tab.locator("#offline-banner")
    expect(banner).to_have_attribute("data-waiting", "0")  # the queue has opened its store
    tab.evaluate(KEEP_REFUSABLE)

    # Sent once on the next load, refused, and then not sent again by itself: the banner says so.
    said = "1 session logged offline couldn't be saved as it was."
    for _ in range(2):
        tab.reload()
        expect(tab.get_by_text(said)).to_be_visible()
    assert app_process.sessions(email) == []

    # Reviewing it opens the server's own form: the problem marked, every value kept.
    tab.get_by_role("button", name="Review it").click()
    expect(tab.locator("[data-error-summary]")).to_be_focused()
    expect(tab.get_by_role("link", name="Minutes spent: Between 1 and 240 minutes.")).to_be_visible()
    minutes = tab.get_by_label("Minutes spent")
    expect(minutes).to_have_value("999")
    expect(tab.get_by_role("radio", name="4 · Good")).to_be_checked()
    minutes.fill("4")
    tab.get_by_role("button", name="Log this session").click()
    expect(tab).to_have_url(re.compile(r"/sessions/\d+$"))
    assert app_process.sessions(email) == [FIRST]
    tab.reload()
    expect(banner).to_have_attribute("data-waiting", "0")
    expect(banner).to_be_hidden()


# What a player page shows of today's session, read the same way from the server's page and
# from the page adapted offline: every step's facts, drawing and note, the position, the
# total, the mirror's placements, the "adapted" section and the rest page's words. (The
# server may also suggest another routine when most of this one is left out: that needs its
# whole library, so offline it is left out.)
SESSION = """doc => {
    const words = (node) => node ? node.textContent.replace(/\\s+/g, " ").trim() : null;
    const player = doc.getElementById("player");
    const role = (name) => player.querySelector(`[data-role="${name}"]`);
    return {
        title: doc.title,
        headings: [...doc.querySelectorAll("#main h1")].map(words),
        changes: [...doc.querySelectorAll("#main .today-changes")].map(words),
        player: player && {
            position: words(role("position")), lastStep: role("last-step").hidden, left: words(role("routine-left")),
            total: role("progress").getAttribute("aria-valuemax"),
            placements: JSON.parse(role("mirror-placements").textContent),
            controls: [...role("controls").querySelectorAll("button")]
                .map((button) => [button.textContent, button.hidden]),
            steps: [...player.querySelectorAll(".player-step")].map((step) => {
                const drawing = step.querySelector("svg.drawing");
                return {
                    data: {...step.dataset}, labelledBy: step.getAttribute("aria-labelledby"),
                    titleId: step.querySelector(".step-title").id, title: words(step.querySelector(".step-title")),
                    cue: words(step.querySelector(".step-cue")), change: words(step.querySelector(".step-change")),
                    more: [step.querySelector(".more-toggle").getAttribute("aria-controls"),
                           step.querySelector(".step-more").id],
                    text: words(step.querySelector(".step-text")), drawing: drawing.dataset.drawing,
                    drawingName: drawing.getAttribute("aria-label"),
                    hatched: [...drawing.querySelectorAll(".drawing-avoid")]
                        .map((area) => [area.dataset.zone, area.getAttribute("d")]),
                };
            }),
        },
    };
}"""
ADAPTED = "gua-sha-face-and-neck"  # ten steps, one with an `instead:` alternative
# Today's answers, the routine they are given for, and what the server makes of them.
TODAY = [
    ("breakout on the cheeks leaves steps out", ADAPTED, {"breakout": "y", "breakout_zones": "cheeks"}),
    ("retinoids lower the pressure", SECOND, {"retinoids": "y"}),
    ("retinoids play the hand alternative to the stone", ADAPTED, {"retinoids": "y"}),
    ("feeling unwell means no session", ADAPTED, {"unwell": "y"}),
    ("sunburn all over leaves only getting ready: a day of rest", ADAPTED, {"sunburn": "y"}),
]


def server_session(tab: Page, slug: str, answers: dict) -> dict:
    """What the server renders for these answers (online), read as SESSION reads a page."""
    query = "&".join(f"{name}={value}" for name, value in answers.items())
    html = tab.request.get(f"/routines/{slug}/play?step=1&{query}").text()
    return tab.evaluate(f"html => ({SESSION})(new DOMParser().parseFromString(html, 'text/html'))", html)


def start_with(tab: Page, slug: str, answers: dict) -> None:
    """On the routine's start page, tick today's answers and press Start."""
    tab.goto(f"/routines/{slug}/play")
    tab.get_by_text("Something's different today").click()
    for name, value in answers.items():
        tab.locator(f'form[data-player-start] input[name="{name}"][value="{value}"]').check()
    tab.get_by_role("button", name="Start with these answers").click()


def test_todays_skin_check_adapts_a_kept_routine_offline_as_the_server_does(context, app_process, first_build):
    tab = context.new_page()
    tab.add_init_script(SPEECH_STUB)
    register(tab, f"offline-check-{uuid.uuid4().hex[:8]}@example.com")
    for slug in (ADAPTED, SECOND):  # visited: kept whole
        tab.goto(f"/routines/{slug}/play")
        controlled(tab)
        tab.goto(f"/routines/{slug}/play")
        cached(tab, f"/offline/routines/{slug}.json")
    online = {name: server_session(tab, slug, answers) for name, slug, answers in TODAY}
    written = server_session(tab, ADAPTED, {})["player"]["steps"]
    # The cases show what they claim, on the server's own pages.
    assert len(written) > len(online[TODAY[0][0]]["player"]["steps"]) > 1
    assert any(step["hatched"] for step in online[TODAY[0][0]]["player"]["steps"])
    assert any("pressure today instead of" in (step["change"] or "") for step in online[TODAY[1][0]]["player"]["steps"])
    assert any(step["title"] not in {each["title"] for each in written}
               for step in online[TODAY[2][0]]["player"]["steps"])
    assert online[TODAY[3][0]]["player"] is None and online[TODAY[3][0]]["headings"] == ["No massage today"]
    assert online[TODAY[4][0]]["player"] is None and online[TODAY[4][0]]["headings"] == ["Let your skin rest today"]

    app_process.stop()
    try:
        for name, slug, answers in TODAY:
            start_with(tab, slug, answers)
            if online[name]["player"] is None:
                expect(tab.get_by_role("heading", name=online[name]["headings"][0])).to_be_visible()
                expect(tab.locator("#player")).to_have_count(0)
            else:
                expect(tab.locator("#player")).to_have_attribute("data-state", re.compile("lead-in|playing"))
                first = online[name]["player"]["steps"][0]["title"]
                said = "first => window.spoken.some(([, words]) => words === `First: ${first}.`)"
                tab.wait_for_function(said, arg=first)  # the voice coach follows today's plan
            assert tab.evaluate(f"({SESSION})(document)") == online[name], name

        # Played in place to the end, one adapted step after another, the voice saying each
        # step's change; then logged on this device.
        name, slug, answers = TODAY[1]
        start_with(tab, slug, answers)
        steps = online[name]["player"]["steps"]
        for number, step in enumerate(steps, start=1):
            if number > 1:
                tab.get_by_role("button", name="Next step").click()
            expect(tab.locator('[data-role="position"]')).to_have_text(f"Step {number} of {len(steps)}")
            expect(tab.locator(".player-step:not([hidden]) .step-title")).to_have_text(step["title"])
            if step["change"]:
                tab.wait_for_function("change => window.spoken.some(([, words]) => words.includes(change))",
                                      arg=step["change"])
        tab.get_by_role("button", name="Finish").click()
        expect(tab).to_have_url(re.compile(rf"/routines/{slug}/play/done\?spent=\d+$"))
        tab.get_by_role("radio", name="4 · Good").check()
        tab.get_by_role("button", name="Log this session").click()
        expect(tab.get_by_text("No connection: this session is saved on this device")).to_be_visible()

        # A page load with today's answers (no script to adapt it, or a reload) gets the
        # offline page, which leads back to the start of a routine kept here.
        tab.goto(f"/routines/{ADAPTED}/play?step=1&retinoids=y")
        expect(tab.get_by_role("heading", name="You're offline")).to_be_visible()
        tab.get_by_role("link", name="start it again from the skin check").click()
        expect(tab.get_by_role("button", name="My skin is fine today → Start")).to_be_visible()
    finally:
        app_process.start(*first_build)


@pytest.fixture(scope="module")
def second_build(tmp_path_factory, first_build):
    """The next deploy: the same files with one stylesheet changed, so every URL changes."""
    static = tmp_path_factory.mktemp("next") / "static"
    shutil.copytree(STATIC, static)
    with (static / "css" / "site.css").open("a") as css:
        css.write("\n/* the next deploy */\n")
    out = static.parent / "sw.js"
    return static, out, build_service_worker(static, out)


STATIC_URLS = """() => [...new Set([...document.querySelectorAll('link[href^="/static/"], script[src^="/static/"]')]
    .map(element => element.getAttribute("href") || element.getAttribute("src"))
    .concat(performance.getEntriesByType("resource").map(entry => new URL(entry.name).pathname))
    .filter(path => path.startsWith("/static/")).map(path => path.split("/")[2]))]"""
OUR_CACHES = """async () => {
    const builds = new Set();
    for (const name of await caches.keys()) {
        if (name.startsWith("glowstep-")) builds.add(name.split("-").pop());
        else for (const request of await (await caches.open(name)).keys())
            builds.add(new URL(request.url).pathname.split("/")[2]);
    }
    return [...builds];
}"""


# Run again once on failure: in about one run in eight here, the new worker's install never
# ends because six of its fetches stay pending inside Chromium under Playwright, no socket open
# while the server answers the same URLs at once (seen with `ss` and urllib beside the test).
# A fresh context starts the whole scenario again from the first build; every check stays.
@pytest.mark.flaky(reruns=1)
def test_a_new_deploy_takes_over_whole_once_the_visitor_reloads(context, app_process, first_build, second_build):
    old = folder_fingerprint(first_build[0])
    static, service_worker, new = second_build
    tab = context.new_page()
    tab.goto(f"/routines/{FIRST}/play?step=1")
    controlled(tab)
    tab.goto(f"/routines/{FIRST}/play")
    cached(tab, f"/offline/routines/{FIRST}.json")
    assert tab.evaluate(STATIC_URLS) == [old]

    app_process.stop()
    app_process.start(static, service_worker)
    try:
        # The next page comes from the new deploy with its own files only; the visitor is told
        # once the new service worker has fetched them all (a while, on a busy machine).
        tab.reload()
        expect(tab.get_by_text("A new version of Glowstep is ready.")).to_be_visible(timeout=30_000)
        assert tab.evaluate(STATIC_URLS) == [new]
        with tab.expect_navigation():  # the new worker takes over, then the page reloads itself
            tab.get_by_role("button", name="Reload").click()
        controlled(tab)
        expect(tab.get_by_text("A new version of Glowstep is ready.")).to_have_count(0)
        # Every cache now holds the new deploy only; the old name of a file is gone everywhere.
        tab.wait_for_function(f"build => ({OUR_CACHES})().then(builds => builds.length === 1 && builds[0] === build)",
                              arg=new)
        assert tab.request.get(f"/static/{old}/css/site.css").status == 404

        # The routine kept under the old deploy plays offline with the new deploy's files.
        app_process.stop()
        tab.goto(f"/routines/{FIRST}/play?step=1")
        expect(tab.get_by_role("heading", name="You're offline")).to_have_count(0)
        assert tab.evaluate(STATIC_URLS) == [new]
        assert tab.evaluate("getComputedStyle(document.body).margin") == "0px"  # site.css applied
    finally:
        app_process.stop()
        app_process.start(*first_build)


MODEL_FILES = ["face_mesh.js", "face_mesh.binarypb", "face_mesh_solution_packed_assets.data"]
OPEN_FRAME = """url => new Promise(done => {
    document.querySelector("iframe[data-test]")?.remove();
    const frame = Object.assign(document.createElement("iframe"), { src: url });
    frame.dataset.test = "";
    frame.addEventListener("load", () => done(frame.contentDocument.querySelector("[data-role=debug]") !== null));
    document.body.append(frame);
})"""
SIZES = """urls => Promise.all(urls.map(url => fetch(url)
    .then(response => response.ok ? response.arrayBuffer() : null).then(body => body && body.byteLength)))"""


def test_mirror_mode_once_used_comes_from_the_device_without_a_connection(context, app_process, first_build):
    """Mirror mode's frame and model (megabytes, outside the player's budget) are kept by the
    service worker once Mirror has been on, and load without the server."""
    tab = context.new_page()
    tab.goto(f"/routines/{FIRST}/play?step=1")
    controlled(tab)
    frame = tab.locator("[data-role=mirror]").get_attribute("data-frame-url")
    assert tab.evaluate(OPEN_FRAME, frame), "the mirror's own document"
    model = re.search(r'"model":\s*"([^"]+)"', tab.request.get(frame).text()).group(1)
    urls = [model + name for name in MODEL_FILES]
    online = tab.evaluate(SIZES, urls)
    assert all(size and size > 0 for size in online), online
    cached(tab, urls[-1])

    app_process.stop()
    try:
        assert tab.evaluate(OPEN_FRAME, frame), "the frame comes from the device, not the offline page"
        assert tab.evaluate(SIZES, urls) == online
    finally:
        app_process.start(*first_build)
