"""Today's skin check decides a session the same way on the server (app/player/plan.py) and
in the browser offline (static/js/offline/skin-rules.js): one rules file (safety.yaml, served
as /offline/skin-rules.json) and one set of cases, run against both (node runs the JS)."""

import json
import shutil
import subprocess  # nosec B404
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.content import safety_copy
from app.content.snapshot import catalog
from app.player.plan import SkinAnswer, plan_session, rules_for

HERE = Path(__file__).resolve().parent
CASES = json.loads((HERE / "skin_rules_cases.json").read_text())
CASE_STEPS = list(CASES["steps"].values())  # every case plays these steps


def case_step(data: dict) -> SimpleNamespace:
    """A step as app.player.plan reads one (StepLike), from a case's plain values."""
    return SimpleNamespace(**data | {"needs": tuple(data["needs"]), "touches": frozenset(data["touches"]),
                                     "instead": case_step(data["instead"]) if data["instead"] else None})


def answers_of(answers: list[dict]) -> list[SkinAnswer]:
    return [SkinAnswer(answer["check_id"], frozenset(answer["zones"]), answer["when"]) for answer in answers]


def outcome(plan) -> dict:
    return {
        "steps": [[planned.step.title, planned.pressure, planned.change] for planned in plan.steps],
        "skipped": [[step.title, reason] for step, reason in plan.skipped],
        "no_session": [rule.check_id for rule in plan.no_session],
    }


def python_outcome(answers: list[dict], steps) -> dict:
    return outcome(plan_session(steps, rules_for(answers_of(answers), safety_copy()["skin_check"])))


def js_outcomes(rules: dict, runs: list[dict]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run the browser's skin-check rules (make test installs it with npm)")
    given = json.dumps({"rules": rules, "runs": runs})
    result = subprocess.run([node, str(HERE / "skin_rules_cases.mjs")],  # nosec B603
                            input=given, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def expected(case: dict) -> dict:
    return {key: case[key] for key in ("steps", "skipped", "no_session")}


@pytest.mark.parametrize("case", CASES["cases"], ids=[case["name"] for case in CASES["cases"]])
def test_each_case_on_the_server(app, case):
    with app.app_context():
        steps = [case_step(step) for step in CASE_STEPS]
        assert python_outcome(case["answers"], steps) == expected(case)


def test_every_case_in_the_browser_rules(client):
    rules = client.get("/offline/skin-rules.json").get_json()
    runs = [{"answers": case["answers"], "steps": CASE_STEPS} for case in CASES["cases"]]
    assert js_outcomes(rules, runs) == [expected(case) for case in CASES["cases"]]


def every_single_answer() -> list[list[dict]]:
    """Each check answered alone (each time range; the whole face and two areas), and two together."""
    answers = []
    for check in safety_copy()["skin_check"]:
        for when in (list(check["when"]) + ["older"]) if check["asks"] == "when" else [""]:
            for zones in ([], ["cheeks", "jawline"]) if check["zoned"] else ([],):
                answers.append([{"check_id": check["id"], "zones": zones, "when": when}])
    return answers + [answers[0] + answers[-1]]


def test_every_routine_is_adapted_alike_from_its_offline_copy(app, client):
    """Every routine in the library (its steps as /offline/routines/<slug>.json serves them to
    the browser) under every single answer: the browser's plan is the server's."""
    rules = client.get("/offline/skin-rules.json").get_json()
    runs, wanted = [], []
    with app.app_context():
        answer_sets = every_single_answer()
        for routine in catalog().active_routines:
            steps = client.get(f"/offline/routines/{routine.slug}.json").get_json()["steps"]
            for answers in answer_sets:
                runs.append({"answers": answers, "steps": steps})
                wanted.append(python_outcome(answers, routine.steps))
    assert len(runs) > 100
    assert js_outcomes(rules, runs) == wanted
