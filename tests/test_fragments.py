"""Fragments kept by Flask-Caching (app.fragments): a routine's steps and drawings are rendered
once per library version, hold nothing of the person who asked first, and a content load
changes their key, in one process and across processes sharing Redis."""

import shutil
from dataclasses import replace
from pathlib import Path

from flask_caching import make_template_fragment_key

from app.content.loader import load_library
from app.content.store import store_library
from app.extensions import cache
from app.fragments import fragment_version
from tests.conftest import PASSWORD, make_test_app, save_profile
from tests.test_processes import redis_server_command, redis_url  # noqa: F401  (fixtures)

ROUTINE = "quick-morning-depuff"
PAGE = f"/routines/{ROUTINE}"
NEW_INSTRUCTION = "A new instruction, loaded for the test."


def kept_fragment(app) -> str | None:
    """The steps of ROUTINE as this app's cache holds them for its current library version."""
    with app.test_request_context():
        return cache.get(make_template_fragment_key("routine-steps", vary_on=[ROUTINE, fragment_version()]))


def load_a_changed_step(app) -> None:
    """`flask content load` with the first step of ROUTINE reworded, through `app`."""
    library = load_library()
    routines = tuple(
        replace(routine, steps=(replace(routine.steps[0], instruction=NEW_INSTRUCTION), *routine.steps[1:]))
        if routine.slug == ROUTINE else routine
        for routine in library.routines
    )
    with app.app_context():
        store_library(replace(library, routines=routines))


def test_the_steps_are_rendered_once_and_kept(app, client):
    assert kept_fragment(app) is None
    page = client.get(PAGE).get_data(as_text=True)
    fragment = kept_fragment(app)
    assert fragment and "The steps" in fragment and 'class="drawing"' in fragment
    assert fragment in page


def test_a_content_load_changes_the_fragment(app, client):
    before = client.get(PAGE).get_data(as_text=True)
    with app.test_request_context():
        old_version = fragment_version()
    load_a_changed_step(app)
    after = client.get(PAGE).get_data(as_text=True)
    with app.test_request_context():
        assert fragment_version() != old_version
    assert NEW_INSTRUCTION in after and NEW_INSTRUCTION not in before
    assert NEW_INSTRUCTION in kept_fragment(app)


def test_a_content_load_changes_the_fragment_across_processes_sharing_redis(db_path, redis_url):  # noqa: F811
    """Two apps on one database and one Redis stand for two processes: the one that loads the
    library never reads the steps the other stored for the old library."""
    shared = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url}
    first, loader = make_test_app(db_path, **shared), make_test_app(db_path, **shared)
    with first.app_context():
        cache.clear()
    assert NEW_INSTRUCTION not in first.test_client().get(PAGE).get_data(as_text=True)
    assert kept_fragment(loader) is not None, "the processes should share the stored steps"
    load_a_changed_step(loader)
    assert NEW_INSTRUCTION in loader.test_client().get(PAGE).get_data(as_text=True)
    assert NEW_INSTRUCTION in make_test_app(db_path, **shared).test_client().get(PAGE).get_data(as_text=True)


def test_the_fragment_holds_nothing_personal(app, client, auth):
    auth.register(display_name="Ana Personal")
    save_profile(client, goal_slugs=["puffiness-dark-circles"])
    client.get("/account")  # shows the "Profile saved." message
    member_page = client.get(PAGE).get_data(as_text=True)  # the first to render the steps
    assert "Recommended for you" in member_page and "Sign out" in member_page

    fragment = kept_fragment(app)
    for personal in ("Recommended for you", "Ana Personal", "Sign out", "csrf_token", "/account", "/progress"):
        assert personal not in fragment, personal
    assert fragment in member_page

    visitor_page = app.test_client().get(PAGE).get_data(as_text=True)
    with app.app_context():
        cache.clear()
    assert app.test_client().get(PAGE).get_data(as_text=True) == visitor_page


PLAYER = "/routines/gua-sha-face-and-neck/play"  # ten steps, one with an `instead:` alternative
# Steps and today's answers in an order that would show a wrongly keyed fragment: the same
# step under other answers (fewer steps, a lower pressure, the alternative), and other steps.
PLAYER_VISITS = [
    "?step=2", "?step=3", "?step=2&retinoids=y", "?step=2&breakout=y&breakout_zones=cheeks",
    "?step=3&retinoids=y", "?step=2", "?step=2&breakout=y&breakout_zones=chin",
]


def test_the_players_steps_are_kept_per_step_and_per_answers(app, client, db_path):
    """Each step page, rendered through the kept steps, is byte for byte the page rendered
    with no cache at all, whatever was asked for before it."""
    uncached = make_test_app(db_path, CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True).test_client()
    pages = set()
    for query in PLAYER_VISITS:
        kept, fresh = client.get(PLAYER + query), uncached.get(PLAYER + query)
        assert kept.status_code == fresh.status_code == 200, query
        assert kept.get_data(as_text=True) == fresh.get_data(as_text=True), query
        pages.add(kept.get_data(as_text=True))
    assert len(pages) == len(set(PLAYER_VISITS)), "every visit's page differs from the others'"
    with app.test_request_context():
        key = make_template_fragment_key("player-steps", vary_on=[PLAYER + "?step=2&retinoids=y", fragment_version()])
        assert 'class="player-step"' in cache.get(key), "kept under the step and the answers"


SITE_PAGES = ["/", "/routines", "/safety", "/goals/circulation", "/"]


def test_the_site_header_is_kept_per_kind_of_visitor_and_page(app, client, auth, db_path):
    """Pages rendered through the kept header are byte for byte those rendered with no cache,
    for a visitor and then a member, page after page; the kept header holds nothing of the person."""
    uncached = make_test_app(db_path, CACHE_TYPE="NullCache", CACHE_NO_NULL_WARNING=True).test_client()

    def same_pages(paths):
        for path in paths:
            kept, fresh = client.get(path), uncached.get(path)
            assert kept.status_code == fresh.status_code == 200, path
            assert kept.get_data(as_text=True) == fresh.get_data(as_text=True), path

    same_pages(SITE_PAGES)
    auth.register(display_name="Ana Personal")
    uncached.post("/auth/login", data={"email": "ana@example.com", "password": PASSWORD})
    for each in (client, uncached):
        each.get("/account")  # the welcome messages are shown, on each side once
    same_pages([*SITE_PAGES, "/progress", "/sessions"])

    with app.test_request_context():
        today = cache.get(make_template_fragment_key("site-header", vary_on=["member", "catalog.home", "",
                                                                              fragment_version()]))
        visitors = cache.get(make_template_fragment_key("site-header", vary_on=["visitor", "catalog.home", "",
                                                                                fragment_version()]))
    assert 'href="/" aria-current="page"' in today and ">Sign out<" in today
    assert ">Sign in<" in visitors and ">Sign out<" not in visitors
    assert "Ana Personal" not in today and "ana@example.com" not in today
    assert '<input type="hidden" name="csrf_token" value="">' in today  # the sign-out form: no token


def test_a_deploy_that_changes_only_a_static_file_keeps_its_fragments_apart(app, db_path, tmp_path):
    """The header links to the icon under the static files' fingerprint, and an old fingerprint
    answers 404: a deploy that changes only a static file must not read a header an older one
    kept in a shared Redis."""
    static = tmp_path / "static"
    shutil.copytree(Path(app.static_folder), static)
    (static / "css" / "site.css").write_text((static / "css" / "site.css").read_text() + "\n/* the next deploy */\n")
    versions = []
    for deploy in (app, make_test_app(db_path, STATIC_FOLDER=str(static))):
        with deploy.test_request_context():
            versions.append(fragment_version())
    assert versions[0] != versions[1]

