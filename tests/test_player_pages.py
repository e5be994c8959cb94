"""The player's server-rendered pages, read as a visitor without JavaScript would."""

import re
from collections import Counter
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_caching import make_template_fragment_key
from werkzeug.datastructures import MultiDict

from app.content import safety_copy
from app.extensions import cache, db
from app.fragments import fragment_version
from app.models import Routine, User
from app.player.finish import FinishCounts, counts_with_this_session
from app.player.forms import SkinCheckForm
from app.player.plan import flags_from_answers
from tests.conftest import log_session, read_form, save_profile

SLUG = "quick-tapping-wake-up"  # six steps; three of them skip when flagged
CHEEK_BREAKOUT = "breakout=y&breakout_zones=cheeks"
REMINDER = "See a professional."
START = re.compile(r'<button type="submit"[^>]*>My skin is fine today → Start</button>')
ANY_START = re.compile(r'<button type="submit"[^>]*>[^<]*Start[^<]*</button>')


def routine_steps(app, slug=SLUG):
    with app.app_context():
        routine = db.session.scalar(db.select(Routine).filter_by(slug=slug))
        return [(step.title, step.duration_seconds) for step in routine.steps]


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return unescape(response.get_data(as_text=True))


def current_title(page: str) -> str:
    """The title of the one step not hidden."""
    steps = re.findall(r'<li class="player-step"([^>]*)>\s*<h2 class="step-title"[^>]*>(.*?)</h2>', page)
    shown = [title for attrs, title in steps if not attrs.rstrip().endswith("hidden")]
    assert len(shown) == 1, shown
    return shown[0]


def link(page: str, name: str) -> str | None:
    found = re.search(rf'<a class="button[^"]*" href="([^"]+)">{name}</a>', page)
    return found and found.group(1)


def test_start_page_prepares_and_checks_the_skin(app, client):
    page = read(client, f"/routines/{SLUG}/play")
    assert "Quick tapping wake-up" in page
    assert "3 min 45 s · 6 steps · Beginner" in page
    assert "You'll need" in page and "Clean hands and a clean face" in page
    assert "An oil or serum within reach" in page
    # A visitor sees the oil advice for every skin type, on the start page and not in the first step.
    for skin in ("Normal", "Dry", "Oily", "Combination", "Sensitive"):
        assert f"<dt>{skin}</dt>" in page
    assert REMINDER in page and "esthetician" in page
    for label in ("Inflamed spots, a breakout or cystic acne", "A rosacea, eczema or psoriasis flare", "Sunburn",
                  "A cold sore or skin infection (impetigo, a fungal infection, shingles)", "Conjunctivitis or a stye",
                  "A fever, or feeling unwell", "Swelling you can't explain, or swelling on one side of the face"):
        assert re.search(rf'<input[^>]+type="checkbox"[^>]*> {re.escape(label)}</label>', page), label
    for check in ("toxin", "filler", "threads", "surgery", "resurfacing"):
        assert re.search(rf'<select[^>]+name="{check}"', page), check
    assert '<option value="48h">In the last 48 hours</option>' in page
    assert page.count("<legend>Where?") == 7
    assert '<input type="hidden" name="step" value="1">' in page
    # Start comes before the full check, which is one tap away.
    start, different = START.search(page).start(), page.index("<summary>Something's different today</summary>")
    assert start < different < page.index("<legend>How is your skin today?</legend>")
    assert "Nothing ticked in your skin check: every step plays as written." in page


def test_a_routines_own_cautions_sit_above_start_without_javascript(client):
    page = read(client, "/routines/full-lymphatic-drainage/play")
    summary = page.index("Ask your doctor first if you have a heart, kidney, thyroid")
    disclosure = page.index("<summary>Read before you start (6)</summary>")
    start = START.search(page).start()
    assert summary < disclosure < start
    assert page.index("thyroid disease, carotid artery disease") < start  # the notes, in the disclosure
    assert "Little or no oil" in page and "<dt>Dry</dt>" not in page


def test_the_desk_routine_needs_no_product(client):
    page = read(client, "/routines/quick-desk-tension-release/play")
    assert "No oil or product needed" in page


def test_every_step_renders_with_links_to_its_neighbours(app, client):
    steps = routine_steps(app)
    total = sum(seconds for _, seconds in steps)
    for number, (title, seconds) in enumerate(steps, start=1):
        page = read(client, f"/routines/{SLUG}/play?step={number}")
        assert f"Step {number} of {len(steps)}" in page
        assert current_title(page) == title
        assert f'<span data-role="countdown">{seconds // 60}:{seconds % 60:02d}</span>' in page
        previous, following, finish = link(page, "Previous step"), link(page, "Next step"), link(page, "Finish")
        assert (previous is None) == (number == 1)
        if previous:
            assert parse_qs(urlsplit(previous).query)["step"] == [str(number - 1)]
        if number < len(steps):
            assert parse_qs(urlsplit(following).query)["step"] == [str(number + 1)]
            assert finish is None
        else:
            assert following is None
            assert finish == f"/routines/{SLUG}/play/done?spent={total}"


def test_links_carry_the_skin_check_answers_and_the_session_is_adapted(app, client):
    page = read(client, f"/routines/{SLUG}/play?step=2&{CHEEK_BREAKOUT}")
    # Every step touching the cheeks is left out, never "lightened": the cheek taps, the palms, the sweep.
    assert "Step 2 of 3" in page
    assert "Tap over the cheeks</strong>: Left out today (inflamed spots, a breakout or cystic acne)." in page
    assert "Sweep up and out</strong>: Left out today" in page
    assert "Today's session, adapted to your skin" in page
    assert "see a dermatologist" in page
    for name in ("Previous step", "Next step"):
        query = parse_qs(urlsplit(link(page, name)).query)
        assert query["breakout"] == ["y"]
        assert query["breakout_zones"] == ["cheeks"]


def test_nothing_ticked_shows_no_changes(client):
    page = read(client, f"/routines/{SLUG}/play?step=1")
    assert "Today's session, adapted" not in page
    assert "Step 1 of 6" in page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("0", 1), ("abc", 1), ("-2", 1), ("1.5", 1), ("", 1), ("²", 1), ("7", 6), ("99999", 6), ("123456", 1)],
)
def test_a_step_out_of_range_or_malformed_redirects_to_a_valid_one(client, raw, expected):
    answers = {"breakout": "y", "breakout_zones": "neck-side"}  # skips nothing in this routine
    response = client.get(f"/routines/{SLUG}/play", query_string={"step": raw, **answers})
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.location).query)
    assert query["step"] == [str(expected)]
    assert query["breakout_zones"] == ["neck-side"]
    assert client.get(response.location).status_code == 200


def test_an_unknown_area_is_a_clear_400(client):
    response = client.get(f"/routines/{SLUG}/play?step=1&breakout=y&breakout_zones=elbow")
    assert response.status_code == 400
    assert "Please choose from the listed answers." in response.get_data(as_text=True)


def test_an_unknown_time_range_is_a_clear_400(client):
    response = client.get(f"/routines/{SLUG}/play?step=1&toxin=yesterday")
    assert response.status_code == 400
    assert "Please choose from the listed answers." in response.get_data(as_text=True)


def test_sunburn_everywhere_leaves_nothing_but_getting_ready_so_the_rest_page_shows(client):
    page = read(client, f"/routines/{SLUG}/play?step=3&sunburn=y")
    assert "Let your skin rest today" in page
    assert "reminder-prominent" in page
    assert 'data-role="countdown"' not in page


def test_toxin_in_the_last_48_hours_means_no_session_and_nothing_to_start(client):
    page = read(client, f"/routines/{SLUG}/play?step=1&toxin=48h")
    assert "No massage today" in page
    assert "No facial massage at all for the first 48 hours" in page  # why, and when it will be fine
    assert 'data-role="countdown"' not in page
    assert not ANY_START.search(page)
    assert "Try " not in page


def test_toxin_within_two_weeks_plays_light_and_without_tools(client):
    page = read(client, "/routines/gua-sha-face-and-neck/play?step=1&toxin=14d")
    assert "Along the jawline</strong>: Left out today (botulinum toxin" in page
    # A step with an `instead:` in its file is replaced, not dropped: the cheekbones by hand.
    assert "Cheekbones by hand</strong>: Instead of “Sweep the cheekbones” today (botulinum toxin" in page
    assert "Try " in page  # most of the stone routine is left out: another routine is suggested


def test_most_of_a_routine_left_out_suggests_another(client):
    page = read(client, f"/routines/{SLUG}/play?step=1&breakout=y&breakout_zones=forehead&breakout_zones=cheeks")
    assert "Most of Quick tapping wake-up is left out today" in page


@pytest.mark.parametrize(
    ("old", "new"),
    [("/routines/gua-sha-sculpt", "/routines/gua-sha-face-and-neck"),
     ("/routines/full-firming-lift", "/routines/jaw-and-cheek-wake-up"),
     ("/routines/quick-jaw-firming/play?step=2&breakout=y",
      "/routines/quick-jaw-and-cheek-wake-up/play?step=2&breakout=y"),
     ("/routines/quick-jaw-firming/play/done?spent=60", "/routines/quick-jaw-and-cheek-wake-up/play/done?spent=60")],
)
def test_old_slugs_answer_301_to_the_renamed_routine(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response.location == new
    assert client.get(new).status_code == 200


def test_an_unknown_routine_is_404(client):
    assert client.get("/routines/no-such-routine/play?step=1").status_code == 404


@pytest.mark.parametrize("spent", ["225", "", "²", "lots"])
def test_the_completion_page_never_fails_on_odd_spent_values(client, spent):
    response = client.get(f"/routines/{SLUG}/play/done", query_string={"spent": spent})
    assert response.status_code == 200
    assert "Well done" in response.get_data(as_text=True)


def test_the_start_page_gives_the_oil_advice_for_the_persons_own_skin_type(client, auth):
    auth.register()
    save_profile(client, skin_type="oily")
    page = read(client, f"/routines/{SLUG}/play")
    assert "Oil for your oily skin:" in page
    assert "A light, non-comedogenic oil such as squalane or jojoba, or a gel serum." in page
    assert "<dt>Dry</dt>" not in page


def test_every_step_shows_its_count_and_links_its_pressure_to_the_one_definition(client):
    page = read(client, "/routines/full-lymphatic-drainage/play?step=7")
    assert "3 rows of 5 (15 in all)" in page  # the cheeks, no longer "Repeat 5×"
    assert '<a class="term" href="/safety#pressure-light">light</a>' in page
    assert "Moves only the skin, never reddens it" in page
    routine = read(client, "/routines/gua-sha-face-and-neck")
    assert "5 on each side" in routine and '<a class="term" href="/safety#pressure-medium">medium</a>' in routine


def test_the_safety_page_has_red_flags_and_the_pressure_scale(client):
    page = read(client, "/safety")
    assert '<h2 id="red-flags-title">Red flags: not a skin question</h2>' in page
    assert page.index("red-flags-title") < page.index("skip-title")
    for anchor in ("pressure-light", "pressure-medium", "pressure-firm"):
        assert f'id="{anchor}"' in page
    normal = page.split('id="normal-title"')[1].split("What is not, and what to do")[0]
    assert "pinpoint" not in normal and "pinpoint red or purple marks" in page
    guide = read(client, "/guide")
    for heading in ("How often, and how long", "What you might notice, and when", "What you will not notice",
                    "When to stop", "Light, medium and firm", "Clean hands, clean tools",
                    "An esthetician or a dermatologist?", "How strong is the evidence?"):
        assert heading in guide, heading
    assert 'href="/goals/muscle-tone#evidence-title"' in guide


def test_something_else_worrying_in_the_log_leads_to_the_red_flags(client, auth):
    auth.register()
    form = read(client, f"/routines/{SLUG}/play/done?spent=225")
    assert '<option value="worrying">Something else worrying</option>' in form
    assert 'href="/safety#red-flags-title">Read the red flags first</a>' in form
    log_id = log_session(client, discomfort="yes", discomfort_kind="worrying")
    detail = read(client, f"/sessions/{log_id}")
    assert "Please read the red flags on our safety page now" in detail
    assert 'href="/safety#red-flags-title">Red flags: not a skin question</a>' in detail


def test_the_forms_answers_stored_on_the_profile_keep_their_day_and_lapse(app):
    """What the profile would store (SkinCheckForm.stored_answers) reads back, aged by the days."""
    with app.test_request_context():
        checks, ranges = safety_copy()["skin_check"], safety_copy()["time_ranges"]
        answers = MultiDict([("toxin", "48h"), ("breakout", "y"), ("breakout_zones", "chin")])
        form = SkinCheckForm.for_checks(checks, answers, ranges)
        assert form.validate()
        stored = form.stored_answers(date(2026, 12, 1))
    assert stored == {"breakout": ["chin"], "toxin": {"zones": [], "when": "48h", "answered_on": "2026-12-01"}}
    assert [rule.no_session for rule in flags_from_answers(stored, checks, date(2026, 12, 2))] == [False, True]
    assert [rule.check_id for rule in flags_from_answers(stored, checks, date(2026, 12, 20))] == ["breakout"]


def test_a_standing_skin_check_that_leaves_out_most_of_a_routine_suggests_another(app, client, auth):
    auth.register()
    with app.app_context():
        person = db.session.scalar(db.select(User))
        person.skin_flags = {"breakout": ["forehead", "cheeks"]}
        db.session.commit()
    page = read(client, f"/routines/{SLUG}/play")
    assert "Your skin check flags areas this routine works on: 4 steps left out" in page
    assert "Your profile's skin check leaves out most of this routine." in page
    assert re.search(r'<a href="/routines/[a-z-]+/play">Try [^<]+ instead</a>', page)


def test_the_blank_skin_check_is_rendered_once_and_kept(app, client):
    """Its 80-odd inputs were most of the start page's cost: kept per library version (app.fragments)."""
    with app.test_request_context():
        key = make_template_fragment_key("skin-check", vary_on=[fragment_version()])
        assert cache.get(key) is None
    page = read(client, f"/routines/{SLUG}/play")
    with app.test_request_context():
        kept = unescape(cache.get(key))
    assert 'name="breakout_zones"' in kept and kept in page
    # The same blank check serves another routine's start page.
    assert kept in read(client, "/routines/full-lymphatic-drainage/play")


def test_a_members_standing_answers_start_ticked_and_are_named_in_one_line(app, client, auth):
    auth.register()
    with app.app_context():
        person = db.session.scalar(db.select(User))
        person.skin_flags = {"breakout": ["chin"]}
        db.session.commit()
    page = read(client, f"/routines/{SLUG}/play")
    assert "Your skin check: Inflamed spots, a breakout or cystic acne (chin)." in page
    assert re.search(r'<input checked id="breakout"[^>]*>|<input[^>]*id="breakout"[^>]*checked', page)
    assert re.search(r'<input[^>]*checked[^>]*value="chin"|<input[^>]*value="chin"[^>]*checked', page)
    assert START.search(page) and "data-member" in page


def test_the_finish_counts_this_session_into_the_streak_and_week(app, client, auth):
    auth.register()
    page = read(client, f"/routines/{SLUG}/play/done?spent=225")
    assert "<strong>Day 1</strong> of your streak" in page and "<strong>1 of 4</strong> this week" in page
    action, fields = read_form(page, f"/routines/{SLUG}/play/done?spent=225")
    fields["skin_feel"] = "4"
    assert client.post(action, data=fields).status_code == 302
    again = read(client, f"/routines/{SLUG}/play/done?spent=225")  # Back: logged already, not counted twice
    assert "Logged already" in again and "<strong>1 of 4</strong> this week" in again


def test_a_visitors_finish_offers_an_account_instead_of_a_streak(client):
    page = read(client, f"/routines/{SLUG}/play/done?spent=225")
    assert "create a free account to keep it" in page and "of your streak" not in page
    _, fields = read_form(page)
    assert fields["client_id"] and fields["minutes"] == "4" and fields["seconds"] == "225"
    assert re.search(r'<form[^>]+class="log-form finish-form"[^>]+data-offline-log', page)


def test_errors_come_back_on_the_finish_screen_with_a_summary_that_takes_focus(client):
    url = f"/routines/{SLUG}/play/done?spent=40&early=1"
    page = read(client, url)
    assert "Good effort" in page and "You did 40 s of Quick tapping wake-up" in page
    action, fields = read_form(page, url)
    assert action == url and fields["minutes"] == "1"
    fields["notes"] = "Kept while I fix the rest"
    response = client.post(action, data=fields)  # no skin feel: the one required answer
    assert response.status_code == 400
    again = unescape(response.get_data(as_text=True))
    assert "Good effort" in again and "Kept while I fix the rest" in again
    summary = re.search(r'<div class="error-summary" role="alert" tabindex="-1" data-error-summary.*?</div>',
                        again, re.S)
    assert summary and '<a href="#skin_feel">How does your skin feel? Pick 1 to 5.</a>' in summary.group(0)
    assert "<details class=\"finish-details\">" in again  # closed: nothing in it needs fixing


def test_finish_counts_follow_the_forgiving_streak():
    days = Counter({date(2026, 6, 1).toordinal(): 1, date(2026, 6, 2).toordinal(): 2})  # Monday and Tuesday
    assert counts_with_this_session(days, date(2026, 6, 4), 2, 4) == FinishCounts(3, 4, 4)  # Wednesday rested
    assert counts_with_this_session(days, date(2026, 6, 4), 0, 4) == FinishCounts(1, 4, 4)
    assert counts_with_this_session(days, date(2026, 6, 2), 0, 4, counted=True) == FinishCounts(2, 3, 4)
    assert counts_with_this_session(days, date(2026, 6, 8), 2, 3).week_sessions == 1  # a new week
