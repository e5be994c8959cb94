"""Catalog pages, read as a visitor would."""

import pytest

from app.content.loader import GOAL_SLUGS
from app.extensions import db
from app.models import Routine

REMINDER = "See a professional."


def test_home_offers_every_goal(client):
    page = client.get("/").get_data(as_text=True)
    for slug in GOAL_SLUGS:
        assert f'href="/goals/{slug}"' in page


def test_goals_page_lists_all_seven(client):
    page = client.get("/goals").get_data(as_text=True)
    assert page.count('class="card goal-card"') == 7


@pytest.mark.parametrize("slug", GOAL_SLUGS)
def test_goal_page_explains_evidence_and_lists_routines(app, client, slug):
    response = client.get(f"/goals/{slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "How strong is the evidence?" in page
    assert page.count('class="card routine-card"') >= 2
    assert REMINDER in page


def test_every_routine_page_shows_steps_illustrations_and_reminder(app, client):
    with app.app_context():
        routines = db.session.scalars(db.select(Routine)).all()
        expected = {routine.slug: len(routine.steps) for routine in routines}
    assert len(expected) >= 14
    for slug, step_count in expected.items():
        response = client.get(f"/routines/{slug}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, slug
        assert page.count('<li class="step">') == step_count, slug
        assert page.count('<svg class="drawing"') == step_count, slug
        assert REMINDER in page, slug
        assert "Before you start" in page, slug


def routine_titles(page: str) -> int:
    return page.count('class="card routine-card"')


def test_routines_lists_everything_without_filters(client):
    assert routine_titles(client.get("/routines").get_data(as_text=True)) >= 14


def test_routines_filter_by_goal_length_and_skin_type_combine(app, client):
    with app.app_context():
        routines = db.session.scalars(db.select(Routine)).all()
        expected = {
            r.title
            for r in routines
            if "tension-relief" in [g.slug for g in r.goals] and r.total_seconds <= 300 and "dry" in r.skin_types
        }
    page = client.get("/routines?goal=tension-relief&length=quick&skin_type=dry").get_data(as_text=True)
    assert routine_titles(page) == len(expected) >= 1
    for title in expected:
        assert title in page


def test_length_filter_full_only_returns_long_routines(app, client):
    page = client.get("/routines?length=full").get_data(as_text=True)
    with app.app_context():
        long_titles = {r.title for r in db.session.scalars(db.select(Routine)) if r.total_seconds >= 600}
        short_titles = {r.title for r in db.session.scalars(db.select(Routine)) if r.total_seconds <= 300}
    assert routine_titles(page) == len(long_titles) >= 7
    assert not any(f">{title}</a>" in page for title in short_titles)


@pytest.mark.parametrize(
    "query",
    ["goal=world-peace", "length=forever", "skin_type=scales", "goal=circulation&length=%00", "skin_type=<script>"],
)
def test_invalid_filter_is_a_clear_message(client, query):
    response = client.get(f"/routines?{query}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "ones we know" in page
    assert "<script>" not in page


@pytest.mark.parametrize("url", ["/goals/nope", "/routines/nope", "/no-such-page"])
def test_unknown_slug_gets_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "find that page" in response.get_data(as_text=True)


def test_safety_page_covers_contraindications_and_who_to_see(client):
    page = client.get("/safety").get_data(as_text=True)
    for phrase in ("acne", "rosacea", "sunburn", "cold sore", "filler", "dermatologist", "esthetician"):
        assert phrase in page.lower(), phrase


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
