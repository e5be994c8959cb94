"""The manifest, the service worker, the offline page, and the JSON the offline scripts read."""

import hashlib
import hmac
import json
from types import SimpleNamespace

from flask import Response, abort, current_app, jsonify, render_template, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.content import drawings, safety_copy
from app.content.loader import FACE_ZONES, PRESSURES
from app.content.snapshot import routine_or_404
from app.mirror import face_anchors
from app.offline import bp
from app.offline.build import DEFAULT_SERVICE_WORKER, service_worker_source
from app.player.coach import halfway_cue, spoken_count
from app.player.plan import PlannedStep, SessionPlan, SkinRule
from app.revalidation import shared_with_visitors
from app.static_files import FINGERPRINT_KEY

# The light theme's page colour (site.css --paper, and base.html's theme-color): an
# installed app opens on the page's own colour, with no flash of another.
THEME_LIGHT = "#fbf6f1"
BACKGROUND = THEME_LIGHT


@bp.record_once
def configure(state) -> None:
    state.app.config.setdefault("SERVICE_WORKER", str(DEFAULT_SERVICE_WORKER))
    state.app.add_template_global(offline_ready)
    state.app.add_template_global(offline_account)
    state.app.add_template_global(offline_urls)


def offline_ready() -> bool:
    """Whether a service worker was built for the static files this app serves."""
    path = current_app.config["SERVICE_WORKER"]
    return bool(path) and service_worker_source(path, current_app.config[FINGERPRINT_KEY]) is not None


def offline_account() -> str:
    """Who a queued log belongs to, as the page tells the offline queue: a keyed hash of the
    signed-in person's id (the same in every process), or "" for a visitor."""
    if not current_user.is_authenticated:
        return ""
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else key.encode()
    return hmac.new(key, f"offline-account:{current_user.id}".encode(), hashlib.sha256).hexdigest()[:24]


def offline_urls(routine) -> list[str]:
    """The pages "Keep for offline" stores for a routine: its page, the player's start, each
    step as written (today's skin check is applied in the browser), the last screen, the
    parts the browser adapts them with, and the step facts the skin-check rules read (last:
    the service worker takes a routine whose facts it holds for kept whole)."""
    slug = routine.slug
    steps = [url_for("player.play", slug=slug, step=n) for n in range(1, len(routine.steps) + 1)]
    return [url_for("catalog.routine", slug=slug), url_for("player.play", slug=slug), *steps,
            url_for("player.done", slug=slug), url_for("offline.routine_parts", slug=slug),
            url_for("offline.routine_steps", slug=slug)]


@bp.get("/sw.js")
def service_worker():
    """The service worker at the site's root, so its scope covers every page. Browsers ask
    for it again on each visit, so it is never kept."""
    source = current_app.config["SERVICE_WORKER"] and service_worker_source(
        current_app.config["SERVICE_WORKER"], current_app.config[FINGERPRINT_KEY])
    if not source:
        abort(404)
    response = Response(source, mimetype="text/javascript")
    response.cache_control.no_cache = True
    response.cache_control.max_age = 0
    return response


@bp.get("/manifest.webmanifest")
@shared_with_visitors
def manifest():
    def icon(name: str) -> str:
        return url_for("static", filename=f"icons/{name}")

    data = {
        "name": "Glowstep: guided facial massage",
        "short_name": "Glowstep",
        "description": "Gentle facial massage at home, one step at a time. Plays and logs without a connection.",
        "id": "/",
        "start_url": url_for("catalog.home"),  # Today, for a signed-in person
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME_LIGHT,
        "icons": [
            {"src": icon("icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("maskable.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "maskable"},
            {"src": icon("maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/manifest+json")


@bp.get("/offline")
@shared_with_visitors
def page():
    """What a page that needs the server shows without a connection (the service worker keeps it)."""
    return render_template("offline/page.html")


@bp.get("/offline/skin-rules.json")
@shared_with_visitors
def skin_rules():
    """The skin check's rules as app.player.plan reads them (safety.yaml), for
    static/js/offline/skin-rules.js: the same file decides a session on both sides."""
    return jsonify(pressures=list(PRESSURES), face_zones=list(FACE_ZONES), checks=safety_copy()["skin_check"])


def step_facts(step) -> dict:
    return {
        "title": step.title, "pressure": step.pressure, "when_flagged": step.when_flagged,
        "duration_seconds": step.duration_seconds, "motion": step.motion, "needs": list(step.needs),
        "touches": sorted(step.touches), "instead": step_facts(step.instead) if step.instead else None,
    }


@bp.get("/offline/routines/<slug:slug>.json")
@shared_with_visitors
def routine_steps(slug: str):
    """A routine's steps as written, with what the skin-check rules read of each, and the
    pages that play it offline (offline_urls)."""
    routine = routine_or_404(slug)
    return jsonify(slug=routine.slug, title=routine.title, urls=offline_urls(routine),
                   steps=[step_facts(step) for step in routine.steps])


# The player's templates rendered with one blank row per list (a rule, a step left out, a
# step changed), which the browser copies for each row of today's plan.
BLANK_RULE = SkinRule("", "", "")
BLANK_STEP = SimpleNamespace(title="")
BLANK_PLANS = SimpleNamespace(
    rules=[BLANK_RULE],
    changes=SessionPlan(steps=[PlannedStep(BLANK_STEP, "", " ")], skipped=[(BLANK_STEP, "")]),
    no_session=SessionPlan(no_session=[BLANK_RULE]),
)


@bp.get("/offline/routines/<slug:slug>/parts")
@shared_with_visitors
def routine_parts(slug: str):
    """What static/js/offline/plan-page.js needs to adapt a kept player page to today's skin
    check as app/player/routes.py would (templates/offline/parts.html): each step's `instead:`
    alternative as the step page renders it, with its mirror placement; the pressure words;
    the areas each drawing view can hatch; and the "adapted" section and rest pages."""
    routine = routine_or_404(slug)
    steps = [*routine.steps, *(step.instead for step in routine.steps if step.instead)]
    alternatives = [
        (index, PlannedStep(alt, alt.pressure), face_anchors().step_placements([alt.zone])[0])
        for index, alt in enumerate(step.instead for step in routine.steps) if alt
    ]
    views = sorted({drawings().drawings[step.illustration].view for step in steps})
    return render_template("offline/parts.html", routine=routine, alternatives=alternatives, pressures=PRESSURES,
                           views=views, blank=BLANK_PLANS, spoken_count=spoken_count, halfway_cue=halfway_cue)


@bp.get("/offline/sync")
def sync_state():
    """For the offline queue, just before it sends: who is signed in here (offline_account)
    and a fresh CSRF token. Never kept by any cache."""
    response = jsonify(account=offline_account(), csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "no-store"
    return response
