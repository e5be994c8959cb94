// Runs skin-check cases through static/js/offline/skin-rules.js for tests/test_skin_rules.py.
// stdin: {rules: /offline/skin-rules.json, runs: [{answers, steps}]}; stdout: one outcome per run.
import { readFileSync } from "node:fs";
import { planSession, rulesFor } from "../app/static/js/offline/skin-rules.js";

const { rules: data, runs } = JSON.parse(readFileSync(0, "utf8"));
const outcomes = runs.map(({ answers, steps }) => {
  const plan = planSession(steps, rulesFor(answers, data.checks, data), data.pressures);
  return {
    steps: plan.steps.map((planned) => [planned.step.title, planned.pressure, planned.change]),
    skipped: plan.skipped.map(({ step, reason }) => [step.title, reason]),
    no_session: plan.noSession.map((rule) => rule.checkId),
  };
});
process.stdout.write(JSON.stringify(outcomes));
