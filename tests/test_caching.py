"""Caching: fingerprinted static files kept for a year, 304s for unchanged pages, and pages
that always follow the person's answers and the library (nothing rendered is kept)."""

import re
from dataclasses import replace
from urllib.parse import urljoin

import pytest

from app.content.loader import load_library
from app.content.store import store_library
from app.static_files import YEAR, folder_fingerprint
from tests.conftest import save_profile

ROUTINE = "quick-morning-depuff"
BROWSABLE = ["/", "/guide", "/programmes", "/programmes/first-week", "/goals", "/goals/circulation", "/routines",
             "/routines?length=quick", f"/routines/{ROUTINE}",
             "/safety", f"/routines/{ROUTINE}/play", f"/routines/{ROUTINE}/play?step=2"]


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def assert_kept_for_a_year(response):
    with response:  # a file response streams: close it
        assert response.status_code == 200
        assert response.cache_control.max_age >= YEAR
        assert response.cache_control.immutable and response.cache_control.public


def test_every_static_file_a_page_uses_is_fingerprinted_and_kept_for_a_year(app, client):
    fingerprint = app.config["STATIC_FINGERPRINT"]
    urls = {url for page in BROWSABLE for url in static_urls(client.get(page).get_data(as_text=True))}
    assert {url.rsplit("/", 2)[-1] for url in urls} >= {"site.css", "main.js"}
    for url in urls:
        assert url.startswith(f"/static/{fingerprint}/"), url
        assert_kept_for_a_year(client.get(url))


def test_player_modules_import_each_other_inside_the_fingerprinted_tree(client):
    page = client.get(f"/routines/{ROUTINE}/play?step=1").get_data(as_text=True)
    main = next(url for url in static_urls(page) if url.endswith("/main.js"))
    with client.get(main) as response:
        imports = re.findall(r'from "(\./[^"]+)"', response.get_data(as_text=True))
    assert imports, "the player's entry module should import its helpers"
    for relative in imports:
        assert_kept_for_a_year(client.get(urljoin(main, relative)))


def test_a_changed_file_changes_the_fingerprint(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body { color: black }")
    before = folder_fingerprint(tmp_path)
    assert folder_fingerprint(tmp_path) == before
    (tmp_path / "css" / "site.css").write_text("body { color: navy }")
    assert folder_fingerprint(tmp_path) != before


def test_an_old_fingerprint_answers_404_never_the_current_file_under_its_name(app, client):
    """Issue 18, Decisions: an old fingerprint answers 404 or the exact old bytes; this app keeps
    no old bytes, so 404, and a page of one deploy never mixes in a file of the next."""
    with client.get(f"/static/{app.config['STATIC_FINGERPRINT']}/css/site.css") as current:
        assert current.status_code == 200
    with client.get("/static/000000000000/css/site.css") as old:
        assert old.status_code == 404


def conditional_status(client, page: str, shared: bool = False) -> int:
    """A visitor's browsable page may be kept by shared caches (test_shared_cache); a signed-in
    person's only by their browser."""
    first = client.get(page)
    assert first.status_code == 200 and first.headers.get("ETag"), page
    if shared:
        assert first.cache_control.public and not first.cache_control.private, page
    else:
        assert first.cache_control.no_cache and first.cache_control.private, page
    again = client.get(page, headers={"If-None-Match": first.headers["ETag"]})
    return again.status_code


@pytest.mark.parametrize("page", BROWSABLE)
def test_unchanged_pages_answer_304_to_visitors(client, page):
    assert conditional_status(client, page, shared=True) == 304


def test_unchanged_pages_answer_304_when_signed_in_and_change_with_the_profile(client, auth):
    auth.register()
    client.get("/")  # shows (and uses up) the welcome message
    for page in BROWSABLE:
        assert conditional_status(client, page) == 304, page
    before = client.get("/routines").headers["ETag"]
    save_profile(client, skin_type="oily")
    client.get("/account")  # the "Profile saved." message is shown there
    after = client.get("/routines", headers={"If-None-Match": before})
    assert after.status_code == 200, "recommendations changed with the skin type, so must the page"
    assert after.headers["ETag"] != before


def test_a_flashed_message_is_never_swallowed_by_a_304(client, auth):
    auth.register()
    etag = client.get("/").headers["ETag"]
    client.post("/auth/logout")  # flashes a message, shown on the next page
    response = client.get("/", headers={"If-None-Match": etag})
    assert response.status_code == 200


# --- pages are rendered for the person who asks ------------------------------------------


def test_people_with_different_answers_never_share_a_page(client, auth):
    visitor_page = client.get("/routines").get_data(as_text=True)
    auth.register()
    save_profile(client, goal_slugs=["circulation"])
    client.get("/account")  # the "Profile saved." message
    member_page = client.get("/routines").get_data(as_text=True)
    assert "Recommended for you" in member_page and "Recommended for you" not in visitor_page
    save_profile(client, goal_slugs=["muscle-tone"])
    client.get("/account")
    changed_page = client.get("/routines").get_data(as_text=True)
    assert changed_page != member_page


def test_a_content_load_replaces_the_pages_kept_in_memory(app, client):
    before = client.get(f"/routines/{ROUTINE}").get_data(as_text=True)
    library = load_library()
    renamed = replace(library, routines=tuple(
        replace(routine, title="Renamed for the test") if routine.slug == ROUTINE else routine
        for routine in library.routines
    ))
    with app.app_context():
        store_library(renamed)
    after = client.get(f"/routines/{ROUTINE}").get_data(as_text=True)
    assert "Renamed for the test" in after and "Renamed for the test" not in before


# --- several processes: two apps on one database stand for two app processes ------------
