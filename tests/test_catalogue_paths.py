"""A catalogue without dead ends (issue 17, item 6): lengths offered only where routines are,
the nearest match when filters find nothing, what suits a member first, a Start everywhere."""

import re

from app.catalog.forms import LENGTHS
from app.content.loader import load_library
from tests.conftest import read_form, save_profile


def length_options(page: str) -> list[str]:
    select = page[page.index('name="length"'):]
    return re.findall(r'<option[^>]*value="(\w*)"', select[:select.index("</select>")])


def test_every_length_offered_holds_routines(client):
    library = load_library()
    offered = [key for key in length_options(client.get("/routines").get_data(as_text=True)) if key]
    assert offered, "some length is offered"
    for key in offered:
        _, shortest, longest = LENGTHS[key]
        assert any(shortest <= routine.total_seconds <= longest for routine in library.routines), key
        page = client.get(f"/routines?length={key}").get_data(as_text=True)
        assert "0 routines." not in page
    unheld = [key for key, (_, shortest, longest) in LENGTHS.items()
              if not any(shortest <= routine.total_seconds <= longest for routine in library.routines)]
    assert not set(unheld) & set(offered)


def test_no_match_shows_the_nearest_routines_and_says_which_filter_gave_way(client):
    library = load_library()  # find a goal, length and skin type that no routine has all three of
    for goal in library.goals:
        for key in LENGTHS:
            _, shortest, longest = LENGTHS[key]
            for skin in ("dry", "oily", "combination", "normal", "sensitive"):
                if not any(goal.slug in routine.goals and shortest <= routine.total_seconds <= longest
                           and skin in routine.skin_types for routine in library.routines):
                    page = client.get(f"/routines?goal={goal.slug}&length={key}&skin_type={skin}")
                    if page.status_code == 400:  # a length the library no longer has
                        continue
                    text = page.get_data(as_text=True)
                    assert "0 routines." in text and "Here " in text and "the closest, with any" in text
                    assert text.count("routine-card") >= 1
                    return
    raise AssertionError("every combination has a routine: nothing to test the nearest match with")


def test_a_member_sees_their_skin_type_chosen_and_recommended_routines_first(client, auth):
    auth.register()
    save_profile(client, skin_type="sensitive", goal_slugs=["tension-relief"])
    client.get("/account")
    page = client.get("/routines").get_data(as_text=True)
    _, fields = read_form(page, "/routines")
    assert fields["skin_type"] == "sensitive"
    cards = page.split('class="card routine-card')[1:]
    flags = ["Recommended for you" in card for card in cards]
    assert flags and flags == sorted(flags, reverse=True), "recommended first"


def test_every_card_and_the_end_of_the_routine_page_offer_start(client):
    page = client.get("/routines").get_data(as_text=True)
    cards = page.split('class="card routine-card')[1:]
    assert cards and all("/play\"" in card and ">Start</a>" in card for card in cards)
    routine = client.get("/routines/quick-morning-depuff").get_data(as_text=True)
    assert routine.rindex("Start now") > routine.rindex('class="step"')
