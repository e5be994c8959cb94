"""The guided player in a real browser: start, skin check, timing, keys, sound, the no-JS path.

Playwright's clock drives the page's time (paused right after install, then moved with
run_for and fast_forward), so no test waits through a routine in real time.
"""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

SHORT = "quick-tapping-wake-up"  # 6 steps, 3 min 45 s; three steps skip when flagged
SHORT_TOTAL = 225
DESK = "quick-desk-tension-release"  # steps of 15, 45, 60, 60, 45 and 40 s
LONG = "jaw-and-cheek-wake-up"  # 12 steps, 12 min: the longest routine
LONG_TOTAL = 720
EVENING = datetime(2026, 1, 5, 20, 0)
PAGE_BUDGET = 60 * 1024


START = "My skin is fine today → Start"
SOUND_SAVED = "localStorage.setItem('glowstep.sound', '{mode}')"


def open_player(page: Page, path: str, sound: str | None = "chime"):
    """Load a page with the clock installed and stopped: time moves only when a test says so.
    `sound` is the person's saved sound choice (None: never chosen, so the voice is on)."""
    if sound:
        page.add_init_script(SOUND_SAVED.format(mode=sound))
    page.clock.install(time=EVENING)
    page.clock.pause_at(EVENING + timedelta(seconds=1))
    page.goto(path)


def part(page: Page, role: str):
    return page.locator(f'[data-role="{role}"]')


def expect_step(page: Page, number: int, of: int):
    expect(part(page, "position")).to_have_text(f"Step {number} of {of}")
    expect(page).to_have_url(re.compile(rf"[?&]step={number}(&|$)"))


def step_seconds(page: Page) -> list[int]:
    return [int(s) for s in page.locator(".player-step").evaluate_all("steps => steps.map(s => s.dataset.seconds)")]


def test_start_runs_a_lead_in_then_the_first_step(page: Page):
    open_player(page, f"/routines/{SHORT}/play")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quick tapping wake-up")
    expect(page.get_by_role("complementary", name="Professional advice")).to_contain_text("esthetician")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name=START).click()

    expect_step(page, 1, 6)
    assert page.evaluate("window.sameDocument")  # the player began in place: no page load
    # Focus mode: no site header, navigation or footer; exactly one small esthetician line.
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_text(re.compile("esthetician")).filter(visible=True)).to_have_count(1)
    expect(page.get_by_role("link", name="End")).to_be_visible()
    expect(page.get_by_text("Get ready")).to_be_visible()
    expect(part(page, "lead-in-count")).to_have_text("5")
    expect(page.get_by_role("heading", name="Prepare your skin and hands")).to_be_visible()
    expect(page.get_by_role("link", name="Next step")).to_be_hidden()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.get_by_role("button", name="Previous step")).to_be_hidden()

    page.clock.run_for(4000)
    expect(part(page, "lead-in-count")).to_have_text("1")
    expect(part(page, "countdown")).to_have_text("0:30")  # the step has not started
    page.clock.run_for(1000)
    expect(page.get_by_text("Get ready")).to_be_hidden()
    page.clock.run_for(1000)
    expect(part(page, "countdown")).to_have_text("0:29")


def test_a_breakout_on_the_cheeks_adapts_only_what_it_should(page: Page):
    open_player(page, f"/routines/{SHORT}/play")
    label = "Inflamed spots, a breakout or cystic acne"
    breakout = page.locator(".check-item").filter(has_text=label)
    expect(breakout.get_by_label(label)).to_be_hidden()  # the full check is one tap away
    page.get_by_text("Something's different today").click()
    expect(breakout.get_by_label("Cheeks")).to_be_hidden()  # "Where?" only once ticked
    breakout.get_by_label(label).check()
    breakout.get_by_label("Cheeks").check()
    page.get_by_role("button", name="Start with these answers").click()

    # Every step that touches the cheeks is left out, never lightened (issue 13).
    expect_step(page, 1, 3)
    changes = page.get_by_role("region", name="Today's session, adapted to your skin")
    expect(changes).to_contain_text("Tap over the cheeks: Left out today (inflamed spots, a breakout or cystic acne).")
    expect(changes).to_contain_text("see a dermatologist")
    titles = page.locator(".player-step .step-title").all_inner_texts()
    assert titles == ["Prepare your skin and hands", "Tap across the forehead", "Tap along the jaw and chin"]
    expect(page.locator(".step-change")).to_have_count(0)


def test_nothing_ticked_changes_nothing(page: Page):
    open_player(page, f"/routines/{SHORT}/play")
    page.get_by_role("button", name=START).click()
    expect_step(page, 1, 6)
    expect(page.get_by_role("region", name="Today's session, adapted to your skin")).to_have_count(0)
    expect(page.locator(".step-change")).to_have_count(0)
    assert len(step_seconds(page)) == 6


def test_pause_stops_the_clock_and_resume_carries_on(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    page.clock.run_for(5000 + 10_500)
    countdown, progress = part(page, "countdown"), part(page, "progress")
    expect(countdown).to_have_text("0:20")
    expect(progress).to_have_attribute("aria-valuenow", "10")

    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(60_000)
    page.clock.fast_forward(600_000)
    expect(countdown).to_have_text("0:20")
    expect(progress).to_have_attribute("aria-valuenow", "10")
    expect(part(page, "routine-left")).to_have_text("3 min 35 s")
    expect_step(page, 1, 6)

    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.clock.run_for(499)
    expect(countdown).to_have_text("0:20")
    page.clock.run_for(2)
    expect(countdown).to_have_text("0:19")
    expect(progress).to_have_attribute("aria-valuenow", "11")
    expect(page.locator('[data-role="progress-fill"]')).to_have_attribute("width", "11")


def test_next_previous_finish_and_reload_keep_the_place(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    page.clock.run_for(5000 + 3000)
    page.get_by_role("button", name="Next step").click()
    expect_step(page, 2, 6)
    expect(part(page, "countdown")).to_have_text("0:30")
    expect(page.get_by_role("heading", name="Warm your palms and press")).to_be_visible()

    page.clock.run_for(4000)
    page.get_by_role("button", name="Previous step").click()
    expect_step(page, 1, 6)
    expect(page.get_by_role("button", name="Previous step")).to_be_hidden()
    page.clock.run_for(2000)
    for number in range(2, 7):
        page.get_by_role("button", name="Next step").click()
        expect_step(page, number, 6)
    expect(page.get_by_role("button", name="Next step")).to_be_hidden()
    expect(page.get_by_role("button", name="Finish")).to_be_visible()

    page.reload()
    expect_step(page, 6, 6)
    page.clock.run_for(5000 + 1000)
    page.get_by_role("button", name="Finish").click()
    # 3 s on step 1, 4 s on step 2, 2 s back on step 1, 1 s on step 6 after the reload.
    expect(page).to_have_url(re.compile(rf"/routines/{SHORT}/play/done\?spent=1$"))


def test_finish_counts_only_time_spent_in_steps(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    page.clock.run_for(5000 + 3000)
    page.get_by_role("button", name="Next step").click()
    page.clock.run_for(4000)
    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(30_000)
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Previous step").click()
    page.clock.run_for(2000)
    for _ in range(5):
        page.get_by_role("button", name="Next step").click()
    page.clock.run_for(1000)
    page.get_by_role("button", name="Finish").click()
    expect(page).to_have_url(re.compile(r"/play/done\?spent=10$"))


def test_auto_advance_through_every_step_to_the_completion_screen(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    seconds = step_seconds(page)
    assert sum(seconds) == SHORT_TOTAL
    page.clock.run_for(5000)
    for number, duration in enumerate(seconds[:-1], start=1):
        expect_step(page, number, len(seconds))
        page.clock.run_for(duration * 1000)
    expect_step(page, len(seconds), len(seconds))
    page.clock.run_for(seconds[-1] * 1000)
    expect(page).to_have_url(re.compile(rf"/routines/{SHORT}/play/done\?spent={SHORT_TOTAL}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Well done")
    expect(page.get_by_text("in 3 min 45 s")).to_be_visible()


def test_keyboard_space_pauses_and_arrows_move(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    page.clock.run_for(5000 + 2000)
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    page.clock.run_for(10_000)
    expect(part(page, "countdown")).to_have_text("0:28")
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()

    page.keyboard.press("ArrowRight")
    expect_step(page, 2, 6)
    page.keyboard.press("ArrowRight")
    expect_step(page, 3, 6)
    page.keyboard.press("ArrowLeft")
    expect_step(page, 2, 6)

    # Space on a focused player button still pauses rather than pressing that button.
    page.get_by_role("button", name="Next step").focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    expect_step(page, 2, 6)

    # In the sound choice, the arrows belong to the radio buttons; Escape closes the popover.
    page.get_by_role("button", name=re.compile("^Sound")).click()
    page.get_by_label("Silent").check()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Chime only")).to_be_checked()
    page.keyboard.press("Escape")
    expect(page.get_by_label("Chime only")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect_step(page, 2, 6)

    # The shortcuts are listed in a popover.
    page.get_by_role("button", name="Shortcuts").click()
    expect(page.get_by_text("End the session (asks first)")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_text("End the session (asks first)")).to_be_hidden()


def test_escape_asks_before_ending_and_ending_early_offers_to_log_the_part_done(page: Page, axe_check):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    page.clock.run_for(5000 + 3000)
    page.get_by_role("button", name="Next step").click()
    page.clock.run_for(4000)
    page.keyboard.press("Escape")
    dialog = page.get_by_role("dialog", name="End this session?")
    expect(dialog).to_be_visible()
    expect(page.locator("#player")).to_have_attribute("data-state", "paused")  # the clock waits for the answer
    page.clock.run_for(20_000)
    dialog.get_by_role("button", name="Keep going").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#player")).to_have_attribute("data-state", "playing")
    expect(part(page, "countdown")).to_have_text("0:26")

    page.clock.run_for(2000)
    page.get_by_role("link", name="End").click()
    page.get_by_role("dialog").get_by_role("button", name="Log what I did").click()
    # 3 s on step 1, then 6 s on step 2: the part done, marked as ended early.
    expect(page).to_have_url(re.compile(rf"/routines/{SHORT}/play/done\?spent=9&early=1$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Good effort")
    page.get_by_text("Add details").click()
    expect(page.get_by_label("Minutes spent")).to_have_value("1")  # under a minute, never empty
    # The one required answer missing: the same page, its error summary focused.
    page.get_by_role("button", name="Log this session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Good effort")
    summary = page.get_by_role("alert").filter(has_text="Before it's logged, please check")
    expect(summary).to_be_focused()
    page.clock.resume()  # axe-core waits on timers of its own
    axe_check()
    page.get_by_role("radio", name="4 · Good").check()
    page.get_by_role("button", name="Log this session").click()
    expect(page).to_have_url(re.compile(r"/auth/login$"))  # a visitor's log waits for an account


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_every_step_can_be_followed(page: Page, live_server):
    page.goto(f"/routines/{SHORT}/play")
    page.get_by_role("button", name=START).click()
    titles = []
    for number in range(1, 7):
        expect(page.get_by_text(f"Step {number} of 6")).to_be_visible()
        expect(page.get_by_role("button", name="Pause")).to_be_hidden()
        expect(part(page, "clock")).to_be_hidden()  # no frozen clock: "about 40 seconds" instead
        expect(part(page, "about-time")).to_be_visible()
        expect(page.get_by_role("button", name="More")).to_be_hidden()  # the whole instruction shows
        titles.append(page.locator(".player-step:not([hidden]) .step-title").inner_text())
        expect(page.get_by_role("link", name="Previous step")).to_have_count(0 if number == 1 else 1)
        if number < 6:
            page.get_by_role("link", name="Next step").click()
    assert len(set(titles)) == 6
    page.get_by_role("link", name="Previous step").click()
    expect(page.get_by_text("Step 5 of 6")).to_be_visible()
    page.get_by_role("link", name="Next step").click()
    page.get_by_role("link", name="Finish").click()
    expect(page).to_have_url(re.compile(rf"/play/done\?spent={SHORT_TOTAL}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Well done")


def test_drift_stays_under_100_ms_over_15_minutes(page: Page):
    """12 minutes of steps, 3 minutes paused, and long stretches where the tab sleeps and
    timers fire late (fast_forward): the routine still ends within 100 ms of the exact time."""
    open_player(page, f"/routines/{LONG}/play?step=1")
    assert sum(step_seconds(page)) == LONG_TOTAL
    state = page.locator("#player")
    page.clock.run_for(5000)
    page.clock.run_for(100_000)
    page.clock.fast_forward(200_000)  # 300 s played
    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(120_000)
    page.clock.fast_forward(60_000)
    page.get_by_role("button", name="Resume").click()
    page.clock.fast_forward(300_000)  # 600 s played
    page.clock.run_for(119_900)  # 100 ms before the end
    expect(state).to_have_attribute("data-state", "playing")
    expect_step(page, 12, 12)
    expect(part(page, "countdown")).to_have_text("0:01")
    page.clock.run_for(200)  # 100 ms after
    expect(page).to_have_url(re.compile(rf"/play/done\?spent={LONG_TOTAL}$"))


SPEECH_STUB = """
    window.spoken = [];
    Object.defineProperty(window, "speechSynthesis", {value: {
        speak: (utterance) => window.spoken.push([Date.now(), utterance.text]),
        cancel() {}, getVoices: () => [],
    }});
"""


def spoken_since(page: Page, start: int) -> list[tuple[int, str]]:
    """What was said, as (ms after `start`, words)."""
    return [(at - start, words) for at, words in page.evaluate("window.spoken")]


def test_the_voice_coach_speaks_cues_counts_changes_and_countdowns_in_time(page: Page):
    page.add_init_script(SPEECH_STUB)
    open_player(page, f"/routines/{DESK}/play", sound=None)  # never chose: the voice is on
    page.get_by_text("Something's different today").click()
    page.get_by_label("Prescription retinoids", exact=False).check()
    start = page.evaluate("Date.now()")
    page.get_by_role("button", name="Start with these answers").click()
    expect_step(page, 1, 6)
    page.clock.run_for(5000 + 15_000 + 22_500)  # the lead-in, step 1, and half of step 2

    said = spoken_since(page, start)
    assert said == [
        (0, "Get ready."),  # said inside the Start tap, which lets the page speak
        (0, "First: Get ready."),
        (2000, "3"), (3000, "2"), (4000, "1"),
        (5000, "Wash or sanitise your hands. No oil needed; make-up can stay on."),
        (12_000, "Next: Press along the brows."),
        (17_000, "3"), (18_000, "2"), (19_000, "1"),
        (20_000, "Two fingers above your inner brows. Press softly for a breath, then move a little outwards."
                 " Hold about four seconds each time."),
        (42_000, "Halfway."),
    ]

    # Moving on by hand speaks the new step at once, with today's skin-check change.
    page.get_by_role("button", name="Next step").click()
    words = spoken_since(page, start)[-1]
    assert words[0] == 42_500 and words[1].startswith("Fingers in the soft hollows of your temples.")
    assert words[1].endswith("Light pressure today instead of medium (prescription retinoids, isotretinoin or a"
                             " strong acid peel at home).")
    # Paused, nothing is said; the detailed setting reads the whole instruction.
    page.get_by_role("button", name="Pause").click()
    page.clock.run_for(60_000)
    assert len(spoken_since(page, start)) == len(said) + 1
    page.get_by_role("button", name=re.compile("^Sound")).click()
    page.get_by_label("Read the full instruction").check()
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Resume").click()
    page.get_by_role("button", name="Next step").click()
    assert spoken_since(page, start)[-1][1].startswith("Let your lips close softly and your teeth part.")
    # Last step: Finish says well done before the finish screen.
    for _ in range(2):
        page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="Finish").click()
    assert spoken_since(page, start)[-1][1] == "Well done."
    page.clock.run_for(1500)
    expect(page).to_have_url(re.compile(rf"/routines/{DESK}/play/done\?spent=\d+$"))


def test_a_saved_sound_choice_wins_and_is_remembered(page: Page):
    page.add_init_script(SPEECH_STUB)
    open_player(page, f"/routines/{SHORT}/play", sound="silent")
    page.get_by_role("button", name=START).click()
    expect_step(page, 1, 6)  # started in place: the step page has arrived, its clock is set
    page.clock.run_for(5000 + 30_000)
    expect_step(page, 2, 6)
    assert page.evaluate("window.spoken") == []
    page.get_by_role("button", name=re.compile("^Sound")).click()
    page.get_by_label("Chime and voice").check()
    page.get_by_label("Pace").select_option("Slower")
    assert page.evaluate("localStorage.getItem('glowstep.sound')") == "voice"
    assert page.evaluate("localStorage.getItem('glowstep.voice-rate')") == "0.85"
    assert page.evaluate("window.spoken.at(-1)[1]") == "This is how I sound."


def test_the_screen_stays_awake_only_while_playing(page: Page):
    page.add_init_script(
        """
        window.wake = [];
        Object.defineProperty(navigator, "wakeLock", {value: {request: async () => {
            window.wake.push("request");
            const lock = new EventTarget();
            lock.release = async () => { window.wake.push("release"); };
            window.lock = lock;
            return lock;
        }}});
        """
    )
    open_player(page, f"/routines/{SHORT}/play?step=1")
    page.clock.run_for(6000)
    assert page.evaluate("window.wake") == ["request"]
    page.get_by_role("button", name="Pause").click()
    assert page.evaluate("window.wake") == ["request", "release"]
    page.get_by_role("button", name="Resume").click()
    # The browser drops the lock when the tab is hidden; coming back asks again.
    page.evaluate("window.lock.dispatchEvent(new Event('release'))")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    assert page.evaluate("window.wake") == ["request", "release", "request", "request"]


def transferred(response) -> int:
    sizes = response.request.sizes()
    return sizes["responseHeadersSize"] + sizes["responseBodySize"]


def test_the_player_page_weighs_at_most_60_kb(page: Page):
    """Every request the page makes, on a cold cache, for the routine whose step page is heaviest,
    counted as transferred: compressed bodies and their headers, as the browser receives them."""
    listing = page.request.get("/routines").text()
    hrefs = set(re.findall(r'href="(/routines/[a-z0-9-]+)"', listing))
    assert len(hrefs) >= 14
    heaviest = max(hrefs, key=lambda href: len(page.request.get(f"{href}/play?step=1").body()))

    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{heaviest}/play?step=1", wait_until="networkidle")
    sizes = {response.url.split("/", 3)[3]: transferred(response) for response in responses}
    for name in ("main.js", "clock.js", "coach.js", "start.js", "answers.js", "sound.js", "wakelock.js", "settings.js",
                 "player.css", "site.css"):
        assert any(url.endswith(name) for url in sizes), f"{name} was not loaded: {sizes}"
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"{total} bytes: {sizes}"


def test_reduced_motion_turns_off_the_step_animation(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    animation = "getComputedStyle(document.querySelector('.player-step:not([hidden])')).animationName"
    assert page.evaluate(animation) == "step-in"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(animation) == "none"


VIEWPORTS = [(360, 640), (390, 844), (844, 390), (1366, 900)]
# What must be on screen at once while playing (issue 15): none leaves the viewport, none overlaps another.
ONE_SCREEN = {
    "end": '[data-role="end"]', "position": ".player-position", "title": ".player-step:not([hidden]) .step-title",
    "drawing": ".player-step:not([hidden]) .drawing", "cue": ".player-step:not([hidden]) .step-cue",
    "change": ".player-step:not([hidden]) .step-change", "clock": ".countdown",
    "previous": '[data-action="previous"]', "pause": '[data-action="pause"]', "next": '[data-action="next"]',
    "sound": '[popovertarget="sound-panel"]', "reminder": ".player-reminder",
}
MEASURE = """selectors => Object.fromEntries(Object.entries(selectors).map(([name, selector]) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    return [name, {x: box.x, y: box.y, right: box.right, bottom: box.bottom, width: box.width, height: box.height}];
}))"""


def overlapping(boxes: dict) -> list[tuple[str, str]]:
    names = sorted(boxes)
    return [
        (a, b) for i, a in enumerate(names) for b in names[i + 1:]
        if min(boxes[a]["right"], boxes[b]["right"]) - max(boxes[a]["x"], boxes[b]["x"]) > 1
        and min(boxes[a]["bottom"], boxes[b]["bottom"]) - max(boxes[a]["y"], boxes[b]["y"]) > 1
    ]


@pytest.mark.parametrize(("width", "height"), VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def test_title_drawing_cue_clock_and_controls_fit_one_screen(page: Page, width, height):
    """The step with the most to show (a long cue and a skin-check change), at each size."""
    page.set_viewport_size({"width": width, "height": height})
    open_player(page, f"/routines/{DESK}/play?step=4&retinoids=y")
    expect(page.locator("#player")).to_have_attribute("data-state", "lead-in")
    assert page.evaluate("document.documentElement.scrollWidth") == width, "the get-ready count widens the page"
    page.clock.run_for(5000)
    expect(page.locator("#player")).to_have_attribute("data-state", "playing")
    # Nothing needed lies past the first screen (today's changes in full may follow below it).
    assert page.evaluate("[document.documentElement.scrollWidth, window.scrollY]") == [width, 0]
    boxes = page.evaluate(MEASURE, ONE_SCREEN)
    for name, box in boxes.items():
        assert box["width"] > 0 and box["height"] > 0, (name, box)
        assert box["x"] >= 0 and box["y"] >= 0 and box["right"] <= width and box["bottom"] <= height, (name, box)
    assert overlapping(boxes) == []
    for name in ("previous", "pause", "next"):
        assert boxes[name]["width"] >= 48 and boxes[name]["height"] >= 48, (name, boxes[name])
    assert boxes["drawing"]["height"] >= 120, boxes["drawing"]

    more = page.get_by_role("button", name="More")
    if width < 900:
        # The full instruction, one tap away, in the drawing's place: still one screen.
        expect(page.get_by_text("Let your lips close softly")).to_be_hidden()
        more.click()
        expect(page.get_by_text("Let your lips close softly")).to_be_visible()
        detail = page.evaluate(MEASURE, {"detail": ".player-step:not([hidden]) .step-more", **{
            name: ONE_SCREEN[name] for name in ("title", "clock", "pause", "reminder")}})
        assert overlapping(detail) == [] and detail["detail"]["bottom"] <= height
        page.get_by_role("button", name="Less").click()
    else:
        expect(more).to_be_hidden()
        expect(page.get_by_text("Let your lips close softly")).to_be_visible()


def test_a_step_change_moves_focus_sensibly_and_tells_the_drawings(page: Page):
    page.add_init_script("""
        window.heard = [];
        document.addEventListener("player:step", (e) => window.heard.push(["step", e.detail]));
        document.addEventListener("player:state", (e) => window.heard.push(["state", e.detail.state]));
    """)
    page.set_viewport_size({"width": 390, "height": 844})
    open_player(page, f"/routines/{SHORT}/play?step=5")
    page.clock.run_for(5000)
    # Focus inside the step (its More button) follows to the new step's title when it moves on.
    page.get_by_role("button", name="More").focus()
    page.clock.run_for(40_000)
    expect_step(page, 6, 6)
    expect(page.locator(".player-step:not([hidden]) .step-title")).to_be_focused()
    expect(part(page, "last-step")).to_be_visible()
    # A control that goes away hands focus to the one in its place.
    page.get_by_role("button", name="Previous step").click()
    page.get_by_role("button", name="Next step").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Finish")).to_be_focused()
    finish, pause = page.get_by_role("button", name="Finish"), page.get_by_role("button", name="Pause")
    assert finish.evaluate("b => getComputedStyle(b).backgroundColor") != pause.evaluate(
        "b => getComputedStyle(b).backgroundColor")
    # Paused is plain from a metre away: a large label, the drawing dimmed.
    pause.click()
    expect(part(page, "paused-label")).to_have_text("Paused")
    assert float(page.locator(".player-step:not([hidden]) .drawing").evaluate("f => getComputedStyle(f).opacity")) < 0.5
    assert part(page, "paused-label").bounding_box()["height"] >= 40

    heard = page.evaluate("window.heard")
    steps = [detail for kind, detail in heard if kind == "step"]
    assert [step["number"] for step in steps] == [5, 6, 5, 6]
    assert steps[1] == {"number": 6, "total": 6, "seconds": 40, "title": "Sweep up and out"}
    assert [state for kind, state in heard if kind == "state"] == ["lead-in", "playing", "paused"]


@pytest.mark.parametrize("path", [f"/routines/{SHORT}/play", f"/routines/{SHORT}/play?step=1&sunburn=y"])
def test_start_and_rest_pages_have_no_axe_violations(page: Page, axe_check, path):
    page.goto(path)
    axe_check()


def test_a_playing_step_has_no_axe_violations(page: Page, axe_check):
    open_player(page, f"/routines/{SHORT}/play?step=1&breakout=y&breakout_zones=chin")
    page.clock.run_for(5000 + 2000)
    expect(page.locator("#player")).to_have_attribute("data-state", "playing")
    page.clock.resume()  # axe-core waits on timers of its own
    axe_check()
    page.get_by_role("button", name="Pause").click()
    axe_check()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (844, 390)], ids=["portrait", "sideways"])
def test_start_is_on_the_first_screen_of_a_phone_with_the_routines_needs_and_cautions_above(page: Page, width, height):
    """The routine with the longest cautions and needs on its start page; held sideways, the
    needs sit on the left and the cautions above Start on the right."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/routines/evening-massage-in-ritual/play")
    start = page.get_by_role("button", name=START).bounding_box()
    assert start["y"] + start["height"] <= height, start
    for name in ("You'll need", "Cautions for this routine"):
        assert page.get_by_role("region", name=name).bounding_box()["y"] < start["y"], name
    expect(page.get_by_role("region", name="You'll need")).to_contain_text("Serum")
