"""What the player says and shows beside the clock, worked out from a step's own fields.

Pure functions over the loader's step values (app/content/loader.py: `repetitions` counted
`per` side or in total, in `rows`; `hold_seconds` for a held move), so tests call them directly.
The player script reads the results from the step's data attributes and speaks them.
"""

from app.content.loader import HANDS_OFF, StepData

NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
# A step this long or longer hears "Halfway" (one that counts per side hears "Switch sides").
HALFWAY_SECONDS = 45


def in_words(number: int) -> str:
    return NUMBER_WORDS[number] if number < len(NUMBER_WORDS) else str(number)


def spoken_count(step: StepData) -> str:
    """The count and pace, as the voice says it after the cue, e.g. "Five on each side, about six
    seconds each."; for a held move "Hold about five seconds each time." (its reps may count
    passes of several holds); empty for a single move or a hands-off step."""
    if step.hold_seconds:
        return f"Hold about {in_words(step.hold_seconds)} seconds each time."
    if step.motion in HANDS_OFF or step.strokes == 1:
        return ""
    each = "on each side" if step.per == "side" else "in all"
    rows = f"{in_words(step.rows).capitalize()} rows of {in_words(step.repetitions)}" if step.rows > 1 else ""
    count = rows or f"{in_words(step.repetitions).capitalize()}"
    pace = max(1, round(step.duration_seconds / step.strokes))
    return f"{count} {each}, about {in_words(pace)} seconds each."


def halfway_cue(step: StepData) -> str:
    """What to say halfway through: "Switch sides" for a step counted per side, "Halfway"
    for a long one, else nothing."""
    if step.per == "side" and step.motion not in HANDS_OFF:
        return "Switch sides."
    if step.duration_seconds >= HALFWAY_SECONDS:
        return "Halfway."
    return ""


def about_time(seconds: int) -> str:
    """A step's length as the no-script page says it: "about 40 seconds", "about 1½ minutes"."""
    if seconds < 60:
        return f"{seconds} seconds"
    minutes, rest = divmod(seconds, 60)
    half = "½" if 15 <= rest < 45 else ""
    whole = minutes + (1 if rest >= 45 else 0)
    unit = "minute" if whole == 1 and not half else "minutes"
    return f"{whole}{half} {unit}"
