// Today's skin check, applied in the browser to a routine as written: the same rules as
// app/player/plan.py, read from the same file (app/content/safety.yaml, served as
// /offline/skin-rules.json), so a routine played offline is adapted exactly as the server
// would adapt it. tests/test_skin_rules.py runs one set of cases against both.
// Pure functions over plain values; no DOM, no network.
//
// For the player:
//   const rules = rulesFor(answers, data.checks, data);       // data: /offline/skin-rules.json
//   const plan = planSession(steps, rules, data.pressures);   // steps: /offline/routines/<slug>.json
//   plan.noSession  -> [rule]: no session today (show each rule's advice)
//   plan.steps      -> [{step, pressure, change}]: play these, at this pressure, noting the change
//   plan.skipped    -> [{step, reason}]: left out today, and why
// An answer is {check_id, zones: [zone…] (empty: the whole face), when: "48h"|"14d"|"28d"|""}.
// A step is {title, pressure, when_flagged, duration_seconds, motion, needs: [], touches: [], instead: step|null}.

/** The rule an answer to `check` sets, or null (a time-limited answer from longer ago). */
export function ruleFor(check, answer, faceZones) {
  const data = check.asks === "when" ? check.when[answer.when] : check.rule;
  if (!data) return null;
  const skipZones = new Set(data.skip_zones || []);
  if (data.skip_areas) for (const zone of answer.zones.length ? answer.zones : faceZones) skipZones.add(zone);
  return {
    checkId: check.id, label: check.label, advice: check.advice, skipZones,
    noSession: Boolean(data.no_session), maxPressure: data.max_pressure || "firm",
    noNeeds: new Set(data.no_needs || []), noMotions: new Set(data.no_motions || []),
  };
}

/** The rules today's answers set, in the order of the checks; unknown ids are ignored. */
export function rulesFor(answers, checks, { face_zones: faceZones }) {
  const byId = new Map(answers.map((answer) => [answer.check_id, { zones: [], when: "", ...answer }]));
  return checks.filter((check) => byId.has(check.id))
    .map((check) => ruleFor(check, byId.get(check.id), faceZones))
    .filter((rule) => rule !== null);
}

function blocks(rule, step) {
  return step.touches.some((zone) => rule.skipZones.has(zone)) || step.needs.some((need) => rule.noNeeds.has(need))
    || rule.noMotions.has(step.motion);
}

const reason = (rules) => rules.map((rule) => rule.label.toLowerCase()).join("; ");

function whyNot(step, rules, cap, pressures) {
  const capped = pressures.indexOf(step.pressure) > pressures.indexOf(cap) && step.when_flagged !== "lighten";
  return rules.filter((rule) => blocks(rule, step) || (capped && rule.maxPressure === cap));
}

/** The step as done today (or its `instead` alternative), or the reason it is left out (a string). */
export function planStep(step, rules, pressures) {
  const cap = rules.reduce((low, rule) => (pressures.indexOf(rule.maxPressure) < pressures.indexOf(low) ? rule.maxPressure : low),
    pressures[pressures.length - 1]);
  let chosen = step;
  let change = "";
  const against = whyNot(step, rules, cap, pressures);
  if (against.length) {
    if (!step.instead || whyNot(step.instead, rules, cap, pressures).length) return `Left out today (${reason(against)}).`;
    chosen = step.instead;
    change = `Instead of “${step.title}” today (${reason(against)}).`;
  }
  if (pressures.indexOf(chosen.pressure) > pressures.indexOf(cap)) {
    const limiting = reason(rules.filter((rule) => rule.maxPressure === cap));
    const capital = cap.charAt(0).toUpperCase() + cap.slice(1);
    return { step: chosen, pressure: cap, change: `${capital} pressure today instead of ${chosen.pressure} (${limiting}).` };
  }
  return { step: chosen, pressure: chosen.pressure, change };
}

/** Adapt every step to today's rules; with no rules the routine is unchanged. */
export function planSession(steps, rules, pressures) {
  const stop = rules.filter((rule) => rule.noSession);
  if (stop.length) return { steps: [], skipped: [], noSession: stop };
  const plan = { steps: [], skipped: [], noSession: [] };
  for (const step of steps) {
    const outcome = planStep(step, rules, pressures);
    if (typeof outcome === "string") plan.skipped.push({ step, reason: outcome });
    else plan.steps.push(outcome);
  }
  if (plan.skipped.length && !plan.steps.some((planned) => planned.step.touches.length)) {
    // Only getting ready is left: there is no session to get ready for.
    const alone = plan.steps.map((planned) => ({ step: planned.step, reason: "Left out today: nothing else is left." }));
    plan.skipped = [...alone, ...plan.skipped];
    plan.steps = [];
  }
  return plan;
}
