"""`make bench-mirror`: Mirror mode's detections per second on this machine.

The production configuration (gunicorn) serves a player step; Debian's headless Chromium, with
a fake camera playing the astronaut portrait (bench/fake_camera.py), switches Mirror on while the
step plays. After a warm-up, the frame's debug field counts detections over 10 s. Writes
bench/results/mirror.json and prints the figure with the machine's load, which on this shared
2-core machine moves it a lot.
"""

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.fake_camera import WIDTH, face_frame, portrait, write_y4m
from bench.server import CHROMIUM, CHROMIUM_ARGS, ROOT, serving

RESULTS = ROOT / "bench" / "results" / "mirror.json"
STEP = "/routines/evening-massage-in-ritual/play?step=6"  # a cheek step
SECONDS = 10
WARM_UP_DETECTIONS = 5
TARGET = 5  # detections a second (issue 16)
READ = "() => { const d = document.querySelector('[data-role=debug]').dataset;" \
       " return [Number(d.detections), performance.now(), Number(d.longestMs)]; }"


def measure(url: str, video: Path) -> dict:
    args = [*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url)
        clicked = time.monotonic()
        page.get_by_role("button", name="Mirror").click()
        page.get_by_role("button", name="Turn the camera on").click()
        page.wait_for_selector("iframe.mirror-frame")
        frame = next(f for f in page.frames if f.url.endswith("/mirror/frame"))
        frame.wait_for_function("() => Number(document.querySelector('[data-role=debug]').dataset.detections) > 0",
                                timeout=120_000)
        first = time.monotonic() - clicked
        frame.wait_for_function(
            f"() => Number(document.querySelector('[data-role=debug]').dataset.detections) >= {WARM_UP_DETECTIONS}",
            timeout=120_000)
        state = page.evaluate("document.getElementById('player').dataset.state")
        before = frame.evaluate(READ)
        time.sleep(SECONDS)
        after = frame.evaluate(READ)
        browser.close()
    detections, elapsed_ms = after[0] - before[0], after[1] - before[1]
    return {
        "detections_per_second": round(detections / (elapsed_ms / 1000), 2),
        "detections": detections,
        "seconds": round(elapsed_ms / 1000, 2),
        "ms_per_detection": round(elapsed_ms / detections) if detections else None,
        "longest_detection_ms": after[2],
        "first_detection_after_s": round(first, 1),
        "player_state": state,
    }


def main() -> int:
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="glowstep-mirror-") as tmp:
        video = write_y4m(Path(tmp) / "astronaut.y4m", [(face_frame(portrait(), WIDTH // 2), 4)], fps=15)
        with serving(Path(tmp)) as server:
            result = measure(server.url + STEP, video)
    result |= {
        "target_per_second": TARGET,
        "meets_target": result["detections_per_second"] >= TARGET,
        "load_average_1min_before": round(load_before, 2),
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "page": STEP,
        "camera": "fake, 320 x 240 at 15 fps, a still face (scikit-image's astronaut)",
        "webgl": "software (headless Chromium, --disable-gpu: SwiftShader)",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Mirror: {result['detections_per_second']} detections/s over {result['seconds']} s "
          f"({result['ms_per_detection']} ms each, longest {result['longest_detection_ms']} ms; first after "
          f"{result['first_detection_after_s']} s) with the player {result['player_state']}; "
          f"load average {result['load_average_1min_before']} -> {result['load_average_1min_after']} "
          f"on {result['cpus']} CPUs")
    verdict = "met" if result["meets_target"] else "NOT met"
    print(f"target {TARGET}/s: {verdict}; written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
