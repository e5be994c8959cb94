"""The machine's own slow spells, found beside a measured run (`make bench`, `make bench-scale`).

On this VM both cores now and then slow down together for a tenth to a few tenths of a
second: a fixed piece of pure-Python work takes 3 to 13 times as long, and the thread doing it
is charged for the time as its own user CPU (/proc/stat shows no steal and no interrupt time
for it; bench/README.md, "The machine's slow spells"). A request served in such a spell is
slow for a reason outside the app. So the runs with a latency budget (the history readers,
the mix at half capacity) carry a probe and a trace of every request, and report how many of
their slow requests met a spell, and each page's p99 without them, beside (never instead of)
the budget's p99.

The probe runs on the load generator's core under SCHED_IDLE (it gets only the time nothing
else wants) and every INTERVAL_S times one UNIT of work in its own thread's CPU time: about
1 to 3 % of a core, little enough not to slow the server through whatever the two cores share.
The spells hit both cores at the same moments (checked with a probe on each, 2026-12-01),
so the generator's core sees the server's.

    python -m bench.steadiness OUT      (run by `probing`; writes the samples on SIGTERM)
"""

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

INTERVAL_S = 0.01
UNIT = 1500  # loop turns: some 0.1 to 0.3 ms of one core here
SLOW_FACTOR = 3.0  # a sample this many times the run's median is in a spell
READY_SECONDS = 60  # the most the probe may take to start (it runs at idle priority)


@dataclass(frozen=True)
class Sample:
    """One timing of the unit: when it started and ended (Unix seconds), and its thread CPU (ms)."""

    start: float
    end: float
    cpu_ms: float


@dataclass(frozen=True)
class Request:
    """One request from the run's trace: its start (Unix seconds), time (ms) and page name."""

    start: float
    ms: float
    name: str


def median_ms(samples: Sequence[Sample]) -> float:
    """The samples' median thread CPU (ms); 0 for none."""
    return sorted(sample.cpu_ms for sample in samples)[len(samples) // 2] if samples else 0.0


def spells(samples: Sequence[Sample], factor: float = SLOW_FACTOR) -> list[tuple[float, float]]:
    """The slow spells as (start, end) in Unix seconds: runs of samples at least `factor` times
    the median, widened by one interval each side (a spell may begin or end between two
    samples), and merged where they touch."""
    if not samples:
        return []
    ordered = sorted(samples, key=lambda sample: sample.start)
    median = median_ms(samples)
    found: list[tuple[float, float]] = []
    for sample in ordered:
        if sample.cpu_ms < factor * median:
            continue
        start, end = sample.start - INTERVAL_S, sample.end + INTERVAL_S
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(end, found[-1][1]))
        else:
            found.append((start, end))
    return found


def met_a_spell(request: Request, found: Sequence[tuple[float, float]]) -> bool:
    """Whether any part of the request fell in a spell."""
    end = request.start + request.ms / 1000
    return any(start < end and request.start < stop for start, stop in found)


def p99(times: Sequence[float]) -> float:
    """The nearest-rank 99th percentile (0 for none)."""
    ordered = sorted(times)
    return ordered[max(0, -(-99 * len(ordered) // 100) - 1)] if ordered else 0.0


def summary(samples: Sequence[Sample], requests: Sequence[Request], budget_ms: float,
            pages: Sequence[str]) -> dict:
    """What the spells did to a run: their count and share of the run's time; how many
    requests met one, of all and of those over `budget_ms`; and each page's p99 from the
    trace, with and without the requests that met a spell ("Aggregated", as in Locust's
    tables: every request)."""
    found = spells(samples)
    if not requests:
        return {"spells": len(found), "share_of_run": 0.0, "requests": 0}
    first = min(request.start for request in requests)
    last = max(request.start + request.ms / 1000 for request in requests)
    within = sum(max(0.0, min(stop, last) - max(start, first)) for start, stop in found)
    met = [met_a_spell(request, found) for request in requests]
    over = [hit for request, hit in zip(requests, met, strict=True) if request.ms >= budget_ms]
    by_page = {}
    for page in pages:
        times = [(request.ms, hit) for request, hit in zip(requests, met, strict=True)
                 if page in (request.name, "Aggregated")]
        by_page[page] = {"p99_ms": p99([ms for ms, _ in times]),
                         "p99_outside_spells_ms": p99([ms for ms, hit in times if not hit])}
    return {
        "spells": len(found),
        "share_of_run": round(within / max(last - first, 1e-9), 3),
        "median_unit_ms": round(median_ms(samples), 3),
        "requests": len(requests),
        "met_a_spell": sum(met),
        "over_budget": len(over),
        "over_budget_met_a_spell": sum(over),
        "pages": by_page,
    }


def describe(result: dict, budget_ms: float) -> str:
    """summary() in two lines for a report."""
    if not result["requests"]:
        return "The machine's slow spells: no requests traced."
    share = result["met_a_spell"] / result["requests"]
    pages = ", ".join(f"{page} {figures['p99_outside_spells_ms']:.0f}" for page, figures in result["pages"].items())
    return (f"The machine's slow spells (bench/steadiness.py): {result['spells']}, {result['share_of_run']:.0%} of the "
            f"run; {result['over_budget_met_a_spell']} of the {result['over_budget']} requests over "
            f"{budget_ms:.0f} ms met one (of all requests {share:.0%}).\n"
            f"  p99 of the requests that met none (not the budget's figure): {pages} ms")


def read_samples(path: Path) -> list[Sample]:
    return [Sample(*map(float, line.split())) for line in path.read_text().splitlines() if line]


def read_trace(path: Path) -> list[Request]:
    """bench/locustfile.py's MIX_TRACE lines: "<start> <ms> <name with spaces>"."""
    requests = []
    for line in path.read_text().splitlines():
        start, ms, name = line.split(" ", 2)
        requests.append(Request(float(start), float(ms), name))
    return requests


@contextlib.contextmanager
def probing(out: Path, core: str) -> Iterator[None]:
    """The probe on `core` under SCHED_IDLE for the block; its samples are in `out` after.
    The block starts once the probe runs (it makes `out` when it can be stopped cleanly).
    Raises RuntimeError when the probe does not start within READY_SECONDS or fails."""
    out.unlink(missing_ok=True)
    process = subprocess.Popen(["chrt", "--idle", "0", "taskset", "-c", core, sys.executable, "-m", "bench.steadiness",
                                str(out)], cwd=Path(__file__).resolve().parent.parent)
    try:
        ready_by = time.monotonic() + READY_SECONDS
        while not out.exists():
            if process.poll() is not None or time.monotonic() > ready_by:
                raise RuntimeError("the slow-spell probe did not start")
            time.sleep(0.01)
        yield
    finally:
        process.terminate()
        code = process.wait(timeout=60)
    if code != 0:
        raise RuntimeError(f"the slow-spell probe failed, with {code}")


def probe(out: Path) -> None:
    """Time the unit every INTERVAL_S until SIGTERM, then write the samples to `out` (made
    empty at the start, once SIGTERM is handled, to say the probe runs)."""
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    lines = []
    with out.open("w") as file:
        while not stopping:
            started, cpu = time.time(), time.thread_time()
            total = 0
            for turn in range(UNIT):
                total += turn * turn
            lines.append(f"{started:.4f} {time.time():.4f} {(time.thread_time() - cpu) * 1000:.3f}\n")
            time.sleep(INTERVAL_S)
        file.write("".join(lines))


if __name__ == "__main__":
    probe(Path(sys.argv[1]))
