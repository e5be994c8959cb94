// Today's session without a connection: a kept routine's player page as written, adapted in
// the browser to today's skin-check answers as app/player/routes.py `play` adapts it on the
// server (templates/player/step.html, rest.html): the same steps left out, the same `instead:`
// alternatives, pressures and notes, the same rest page. Read from the service worker's
// caches: the rules (/offline/skin-rules.json), the routine's step facts and its parts
// (/offline/routines/<slug>.json and /parts, templates/offline/parts.html), and the kept
// pages. Loaded by the player's Start (player/start.js) only when the server can't be reached.
import { formatClock, formatDuration } from "../player/clock.js";
import { planSession, rulesFor } from "./skin-rules.js";

async function kept(path) {
  const response = await caches.match(new URL(path, location.origin).href);
  if (!response) throw new Error(`not kept on this device: ${path}`);
  return response;
}

const keptJson = async (path) => (await kept(path)).json();
const keptPage = async (path) => new DOMParser().parseFromString(await (await kept(path)).text(), "text/html");

/** The skin check's answers in a player URL's query, as skin-rules.js reads them
 *  (the same parameters as app/player/forms.py SkinCheckForm). */
export function answersFrom(params, checks) {
  return checks.filter((check) => params.get(check.id)).map((check) => ({
    check_id: check.id,
    zones: check.zoned ? params.getAll(`${check.id}_zones`) : [],
    when: check.asks === "when" ? params.get(check.id) : "",
  }));
}

/** The page today's answers in `url` (a player step URL) lead to, built from what this device
 *  kept: the player page adapted, or the rest page. Rejects when something is not kept. */
export async function offlinePage(url) {
  const slug = url.pathname.split("/")[2];
  const [data, routine, parts] = await Promise.all([
    keptJson("/offline/skin-rules.json"), keptJson(`/offline/routines/${slug}.json`),
    keptPage(`/offline/routines/${slug}/parts`),
  ]);
  const rules = rulesFor(answersFrom(url.searchParams, data.checks), data.checks, data);
  const plan = planSession(routine.steps, rules, data.pressures);
  if (!plan.steps.length) return restPage(await keptPage(`/routines/${slug}/play`), parts, plan, rules);
  const page = await keptPage(`/routines/${slug}/play?step=1`);
  adaptPlayer(page, parts, routine, plan, rules);
  const stepUrl = new URL(url);
  stepUrl.searchParams.delete("step");
  page.getElementById("player").dataset.stepUrl = stepUrl.pathname + stepUrl.search;
  return page;
}

function blank(parts, name) {
  return parts.querySelector(`template[data-part="${name}"]`);
}

/** rest.html: no session today (each rule's advice), or every step left out. */
function restPage(page, parts, plan, rules) {
  const template = blank(parts, plan.noSession.length ? "no-session" : "rest");
  const content = page.importNode(template.content, true);
  if (plan.noSession.length) fillRows(content.querySelector("ul"), plan.noSession.map((rule) => [rule.label, rule.advice]));
  else fillChanges(content.querySelector(".today-changes"), plan, rules);
  page.getElementById("main").replaceChildren(content);
  page.title = page.title.replace(/^.*( · Glowstep)$/, `${template.dataset.title}$1`);
  return page;
}

/** Each list of a blank row, filled with one row per [title, words]; a list with none goes. */
function fillRows(list, rows) {
  if (!rows.length) return list.remove();
  const blank = list.querySelector("li");
  list.replaceChildren(...rows.map(([title, words]) => {
    const row = blank.cloneNode(true);
    row.querySelector("strong").textContent = title;
    row.lastChild.textContent = `: ${words}`;
    return row;
  }));
}

/** _changes.html: the steps left out, the steps done differently, each rule's advice. */
function fillChanges(section, plan, rules) {
  const [skipped, changed] = section.querySelectorAll("ul");
  fillRows(skipped, plan.skipped.map(({ step, reason }) => [step.title, reason]));
  fillRows(changed, plan.steps.filter((planned) => planned.change).map((planned) => [planned.step.title, planned.change]));
  const advice = section.querySelector(".advice");
  advice.replaceWith(...rules.map((rule) => {
    const words = advice.cloneNode();
    words.textContent = rule.advice;
    return words;
  }));
}

/** step.html with today's plan in place of the routine as written (shown from step 1). */
function adaptPlayer(page, parts, routine, plan, rules) {
  const player = page.getElementById("player");
  const written = [...player.querySelectorAll(".player-step")];
  const placements = player.querySelector('[data-role="mirror-placements"]');
  const writtenPlacements = JSON.parse(placements.textContent);
  const avoid = new Set(rules.flatMap((rule) => [...rule.skipZones]));
  const shown = plan.steps.map((planned, index) => {
    const [item, placement] = stepItem(page, parts, routine, planned.step, written, writtenPlacements);
    numberStep(item, index + 1);
    if (planned.pressure !== planned.step.pressure) {
      item.querySelector(".step-facts .term").parentElement
        .replaceChildren(page.importNode(parts.querySelector(`template[data-pressure="${planned.pressure}"]`).content, true));
    }
    if (planned.change) noteChange(item, planned.change);
    hatch(item, parts, avoid);
    return [item, placement];
  });
  written[0].parentElement.replaceChildren(...shown.map(([item]) => item));
  placements.textContent = JSON.stringify(shown.map(([, placement]) => placement));

  const total = plan.steps.reduce((sum, planned) => sum + planned.step.duration_seconds, 0);
  const position = `Step 1 of ${plan.steps.length}`;
  const role = (name) => player.querySelector(`[data-role="${name}"]`);
  role("position").textContent = position;
  const only = plan.steps.length === 1;
  role("last-step").hidden = !only;
  player.querySelector('[data-action="next"]').hidden = only;
  player.querySelector('[data-action="finish"]').hidden = !only;
  role("routine-left").textContent = formatDuration(total);
  role("progress").setAttribute("aria-valuemax", String(total));
  role("progress").setAttribute("aria-valuetext", `${formatDuration(0)} of ${formatDuration(total)}`);
  role("progress").querySelector("svg").setAttribute("viewBox", `0 0 ${total} 1`);
  role("countdown").textContent = formatClock(plan.steps[0].step.duration_seconds);
  page.title = page.title.replace(/^Step \d+ of \d+/, position);

  if (!rules.length) return; // as written: nothing to say about today
  const changes = page.importNode(blank(parts, "changes").content, true);
  fillChanges(changes.querySelector(".today-changes"), plan, rules);
  player.after(changes);
}

/** The step's item as written, or its `instead:` alternative from the parts, with its mirror placement. */
function stepItem(page, parts, routine, step, written, placements) {
  const at = routine.steps.indexOf(step);
  if (at >= 0) return [written[at], placements[at]];
  const template = parts.querySelector(`template[data-instead-of="${routine.steps.findIndex((s) => s.instead === step)}"]`);
  return [page.importNode(template.content.querySelector(".player-step"), true), template.dataset.placement];
}

function numberStep(item, number) {
  item.hidden = number !== 1;
  item.setAttribute("aria-labelledby", `step-title-${number}`);
  item.querySelector(".step-title").id = `step-title-${number}`;
  item.querySelector(".more-toggle").setAttribute("aria-controls", `step-more-${number}`);
  item.querySelector(".step-more").id = `step-more-${number}`;
}

/** The step's note of today's change: "Light pressure today instead of medium" and, apart, why. */
function noteChange(item, change) {
  const note = item.ownerDocument.createElement("p");
  note.className = "step-change";
  const at = change.indexOf(" (");
  const why = item.ownerDocument.createElement("span");
  why.className = "change-why";
  why.textContent = at < 0 ? "" : change.slice(at);
  note.append(at < 0 ? change : change.slice(0, at), why);
  item.querySelector(".step-cue").after("\n", note); // on its own line, as in the template
}

/** The areas left out today, hatched on the step's drawing and named in its label. */
function hatch(item, parts, avoid) {
  const drawing = item.querySelector("svg.drawing");
  const shapes = parts.querySelector(`template[data-avoid="${drawing.dataset.view}"]`).content.querySelectorAll("path");
  const hatched = [...shapes].filter((shape) => avoid.has(shape.dataset.zone));
  if (!hatched.length) return;
  const names = hatched.map((shape) => shape.dataset.name);
  const copies = hatched.map((shape) => {
    const copy = item.ownerDocument.importNode(shape, true);
    copy.removeAttribute("data-name");
    return copy;
  });
  drawing.querySelector(".drawing-zone").after(...copies);
  drawing.setAttribute("aria-label", `${drawing.getAttribute("aria-label")} Hatched: leave out today: ${names.join(", ")}.`);
}
