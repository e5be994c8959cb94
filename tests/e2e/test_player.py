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
LONG = "jaw-and-cheek-wake-up"  # 12 steps, 12 min: the longest routine
LONG_TOTAL = 720
EVENING = datetime(2026, 1, 5, 20, 0)
PAGE_BUDGET = 60 * 1024


def open_player(page: Page, path: str):
    """Load a page with the clock installed and stopped: time moves only when a test says so."""
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
    page.get_by_role("button", name="Start").click()

    expect_step(page, 1, 6)
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
    expect(breakout.get_by_label("Cheeks")).to_be_hidden()  # "Where?" only once ticked
    breakout.get_by_label(label).check()
    breakout.get_by_label("Cheeks").check()
    page.get_by_role("button", name="Start").click()

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
    page.get_by_role("button", name="Start").click()
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

    # In the sound choice, the arrows belong to the radio buttons.
    page.get_by_label("Silent").check()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("Chime", exact=True)).to_be_checked()
    expect_step(page, 2, 6)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_every_step_can_be_followed(page: Page, live_server):
    page.goto(f"/routines/{SHORT}/play")
    page.get_by_role("button", name="Start").click()
    titles = []
    for number in range(1, 7):
        expect(page.get_by_text(f"Step {number} of 6")).to_be_visible()
        expect(page.get_by_role("button", name="Pause")).to_be_hidden()
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


def test_sound_modes_voice_cues_and_the_remembered_choice(page: Page):
    page.add_init_script(
        """
        window.spoken = [];
        window.chimes = 0;
        Object.defineProperty(window, "speechSynthesis", {
            value: {speak: (utterance) => window.spoken.push(utterance.text), cancel() {}},
        });
        const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (...args) { window.chimes += 1; return start.apply(this, args); };
        """
    )
    open_player(page, f"/routines/{SHORT}/play?step=1")
    expect(page.get_by_text("Tap the screen or press a key once")).to_be_visible()
    page.get_by_label("Chime and voice").check()  # the tap that also lets the page make sound
    expect(page.get_by_text("Tap the screen or press a key once")).to_be_hidden()
    page.clock.run_for(5000)
    assert page.evaluate("window.spoken") == ["Prepare your skin and hands. Have your oil ready."]
    page.clock.run_for(30_000)
    assert page.evaluate("window.spoken")[-1] == "Warm your palms and press."
    assert page.evaluate("window.chimes") == 4  # two notes per chime

    page.reload()  # back on step 2, where the URL says
    expect(page.get_by_label("Chime and voice")).to_be_checked()
    page.get_by_label("Silent").check()
    page.clock.run_for(5000 + 30_000)
    expect_step(page, 3, 6)
    assert page.evaluate("window.spoken") == []
    assert page.evaluate("window.chimes") == 0
    page.reload()
    expect(page.get_by_label("Silent")).to_be_checked()


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
    for name in ("main.js", "clock.js", "sound.js", "wakelock.js", "settings.js", "player.css", "site.css"):
        assert any(url.endswith(name) for url in sizes), f"{name} was not loaded: {sizes}"
    total = sum(sizes.values())
    assert total <= PAGE_BUDGET, f"{total} bytes: {sizes}"


def test_reduced_motion_turns_off_the_step_animation(page: Page):
    open_player(page, f"/routines/{SHORT}/play?step=1")
    animation = "getComputedStyle(document.querySelector('.player-step:not([hidden])')).animationName"
    assert page.evaluate(animation) == "step-in"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(animation) == "none"


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 740}, {"width": 740, "height": 375}])
def test_on_a_phone_the_clock_and_big_buttons_stay_in_view(page: Page, viewport):
    page.set_viewport_size(viewport)
    open_player(page, f"/routines/{LONG}/play?step=2")
    page.clock.run_for(5000)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.mouse.wheel(0, 400)  # reading further down the instruction
    buttons = [page.get_by_role("button", name=name) for name in ("Previous step", "Pause", "Next step")]
    for target in (part(page, "countdown"), *buttons):
        box = target.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    for button in buttons:
        box = button.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48, box


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
