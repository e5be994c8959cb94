"""Drawings in a real browser (issue 14): their size and stroke width in the player on phones,
the hand travelling its stroke left then right, the still frame under reduced motion, in print
and while paused, and the contact sheet with every drawing's motion shown by its symbol."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

NECK_OPEN = "/routines/full-lymphatic-drainage/play?step=2"
JAW_ROLL = "/routines/cool-roller-depuff/play?step=4"  # five strokes on each side: left, then right
CURRENT = "#player .player-step:not([hidden]) svg.drawing"

MEASURE = """svg => {
    const scale = svg.getScreenCTM().a;
    const rendered = element => {
        const style = getComputedStyle(element);
        const width = parseFloat(style.strokeWidth);
        return style.vectorEffect === "non-scaling-stroke" ? width : width * scale;
    };
    const strokes = [...svg.querySelectorAll('[data-part="stroke"]:not(.drawing-stroke-lay)')].map(rendered);
    const hands = [...document.querySelectorAll(".drawing-hand-line")].map(rendered);
    return {width: svg.getBoundingClientRect().width, viewport: innerWidth,
            thinnest: Math.min(...strokes, ...hands), strokes: strokes.length};
}"""


PHONES = [({"width": 390, "height": 844}, 0.6), ({"width": 360, "height": 640}, 0.5)]


@pytest.mark.parametrize(("size", "share"), PHONES)
def test_the_drawing_is_large_on_a_phone_and_its_strokes_stay_3_px(page: Page, size, share):
    page.set_viewport_size(size)
    page.goto(NECK_OPEN)
    measured = page.locator(CURRENT).evaluate(MEASURE)
    assert measured["width"] >= share * measured["viewport"], measured
    assert measured["strokes"] == 2 and measured["thinnest"] >= 3, measured


POSITIONS = """(svg, times) => {
    svg.pauseAnimations();
    return times.map(t => {
        svg.setCurrentTime(t);
        return [...svg.querySelectorAll(".drawing-moving")].map(g => {
            const box = g.getBoundingClientRect();
            return {x: box.x + box.width / 2, y: box.y + box.height / 2, seen: getComputedStyle(g).opacity === "1"};
        });
    });
}"""


def test_the_hand_travels_its_stroke_on_your_left_then_on_your_right(page: Page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(JAW_ROLL)
    drawing = page.locator(CURRENT)
    loop = float(drawing.get_attribute("data-loop"))
    assert loop == 12  # 60 s for 5 + 5 strokes: 6 s each, one side after the other
    middle = drawing.evaluate("svg => svg.getBoundingClientRect().x + svg.getBoundingClientRect().width / 2")
    start, later, right = drawing.evaluate(POSITIONS, [0.3, loop * 0.4, loop * 0.75])
    left_hand, right_hand = start
    assert left_hand["seen"] and not right_hand["seen"] and left_hand["x"] < middle
    assert later[0]["seen"] and (later[0]["x"], later[0]["y"]) != (left_hand["x"], left_hand["y"]), "it moved"
    assert later[0]["y"] < left_hand["y"], "from the chin up along the jaw towards the ear"
    assert right[1]["seen"] and not right[0]["seen"] and right[1]["x"] > middle


def test_a_still_frame_stands_in_when_motion_is_reduced_in_print_and_while_paused(page: Page):
    page.goto(NECK_OPEN)
    moving, still = page.locator(f"{CURRENT} .drawing-moving").first, page.locator(f"{CURRENT} .drawing-still").first
    expect(moving).to_be_visible()
    expect(still).to_be_hidden()
    page.evaluate("document.getElementById('player').dataset.state = 'paused'")
    expect(moving).to_be_hidden()
    expect(still).to_be_visible()
    page.evaluate("document.getElementById('player').dataset.state = 'playing'")
    expect(moving).to_be_visible()
    for media in ({"reduced_motion": "reduce"}, {"media": "print", "reduced_motion": "no-preference"}):
        page.emulate_media(**media)
        expect(moving).to_be_hidden()
        expect(still).to_be_visible()
        expect(page.locator(f'{CURRENT} [data-part="start"]').first).to_be_visible()


def test_the_contact_sheet_shows_each_drawing_with_the_symbol_of_its_steps_motion(page: Page, live_server, tmp_path):
    sheet = Path(tmp_path) / "sheet.html"
    result = live_server.app.test_cli_runner().invoke(args=["content", "sheet", str(sheet)])
    assert result.exit_code == 0, result.output
    page.goto(sheet.as_uri())
    figures = page.locator("figure.sheet-step")
    expect(figures.first).to_be_visible()
    found = figures.evaluate_all("""figures => figures.map(figure => {
        const svg = figure.querySelector("svg.drawing");
        const symbol = svg.querySelector('[data-part="motion"]').getAttribute("href");
        return {step: figure.dataset.stepMotion, drawing: svg.dataset.motion,
                symbol: symbol.replace("#drawing-motion-", ""),
                drawn: document.querySelector(symbol) !== null && svg.getBoundingClientRect().width > 150};
    })""")
    assert len(found) >= 120
    wrong = [item for item in found if not (item["step"] == item["drawing"] == item["symbol"] and item["drawn"])]
    assert wrong == []
