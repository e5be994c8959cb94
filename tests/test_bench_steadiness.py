"""bench/steadiness.py: finding the machine's slow spells and the requests that met them."""

import signal
import subprocess
import sys
import time

import pytest

from bench import steadiness
from bench.server import ROOT
from bench.steadiness import Request, Sample, describe, met_a_spell, p99, read_samples, read_trace, spells, summary


def samples(cpu_ms: list[float], start: float = 1000.0) -> list[Sample]:
    """One sample every 10 ms, each taking its own cpu_ms."""
    return [Sample(start + n * 0.01, start + n * 0.01 + ms / 1000, ms) for n, ms in enumerate(cpu_ms)]


def test_a_run_of_slow_samples_is_one_spell_widened_by_an_interval():
    found = spells(samples([0.2] * 10 + [1.0, 2.0, 0.9] + [0.2] * 10))
    assert len(found) == 1
    start, end = found[0]
    assert abs(start - (1000.10 - steadiness.INTERVAL_S)) < 1e-9
    assert abs(end - (1000.12 + 0.0009 + steadiness.INTERVAL_S)) < 1e-9


def test_slow_samples_far_apart_are_separate_spells_and_steady_runs_have_none():
    assert len(spells(samples([0.2] * 10 + [1.0] + [0.2] * 10 + [1.0] + [0.2] * 10))) == 2
    assert spells(samples([0.2, 0.25, 0.3, 0.2, 0.5] * 20)) == []  # 0.5 is under 3 x the median
    assert spells([]) == []


def test_a_request_meets_a_spell_when_any_part_of_it_falls_in_one():
    found = [(10.0, 10.2)]
    assert met_a_spell(Request(9.95, 60, "/"), found)  # runs into it
    assert met_a_spell(Request(10.1, 500, "/"), found)  # starts inside
    assert not met_a_spell(Request(9.0, 900, "/"), found)  # ends before
    assert not met_a_spell(Request(10.2, 5, "/"), found)  # starts as it ends


def test_p99_is_the_nearest_rank():
    assert p99(list(range(1, 101))) == 99
    assert p99(list(range(1, 201))) == 198
    assert p99([7.0]) == 7.0
    assert p99([]) == 0.0


def test_summary_counts_the_slow_requests_that_met_a_spell_and_the_p99_without_them():
    probe = samples([0.2] * 50 + [2.0] * 5 + [0.2] * 45)  # one spell around 1000.50 to 1000.55
    fast = [Request(1000.0 + n * 0.004, 8.0, "/progress") for n in range(49)]
    in_spell = Request(1000.49, 70.0, "/progress")
    outside = Request(1000.80, 55.0, "/sessions")
    result = summary(probe, [*fast, in_spell, outside], 50.0, ("/progress", "/sessions", "Aggregated"))
    assert result["spells"] == 1
    assert result["median_unit_ms"] == 0.2
    assert result["requests"] == 51
    assert result["over_budget"] == 2 and result["over_budget_met_a_spell"] == 1
    assert result["pages"]["/progress"] == {"p99_ms": 70.0, "p99_outside_spells_ms": 8.0}
    assert result["pages"]["/sessions"] == {"p99_ms": 55.0, "p99_outside_spells_ms": 55.0}
    assert result["pages"]["Aggregated"] == {"p99_ms": 70.0, "p99_outside_spells_ms": 55.0}  # every request
    assert 0 < result["share_of_run"] < 0.2
    assert "1 of the 2 requests over 50 ms met one" in describe(result, 50.0)


def wait_for(path, seconds: float = 60) -> None:
    """Until `path` exists: the probe makes it once it handles SIGTERM (a loaded test run may
    take a while to start a Python process)."""
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def test_the_probe_samples_until_stopped_and_the_trace_reads_back(tmp_path):
    out = tmp_path / "probe.txt"
    process = subprocess.Popen([sys.executable, "-m", "bench.steadiness", str(out)], cwd=ROOT)
    wait_for(out)
    time.sleep(0.3)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0
    taken = read_samples(out)
    assert taken, "no samples"
    assert all(sample.start <= sample.end and sample.cpu_ms > 0 for sample in taken)
    trace = tmp_path / "trace.txt"
    trace.write_text("1000.5000 12.5 / (signed in)\n1000.6000 3.0 /progress\n")
    assert read_trace(trace) == [Request(1000.5, 12.5, "/ (signed in)"), Request(1000.6, 3.0, "/progress")]


def test_probing_starts_the_probe_before_the_block_and_says_when_it_could_not(tmp_path):
    out = tmp_path / "probe.txt"
    with steadiness.probing(out, "0"):
        assert out.exists()  # the probe runs, and stops cleanly, before the measured block
    read_samples(out)  # written and readable; how many depends on how idle core 0 was
    with pytest.raises(RuntimeError, match="did not start"), steadiness.probing(tmp_path / "never.txt", "4096"):
        pass  # no such core: taskset refuses at once
