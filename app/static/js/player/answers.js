// A visitor's last skin-check answers, kept in this browser only, so "My skin is fine today"
// can start with them next time (a member's come from their profile, on the server).
// Time-limited answers (a treatment "in the last 48 hours") are asked afresh every time:
// without the day they were given they cannot be aged, as on the server (plan.answers_from_stored).
const KEY = "glowstep.skin-answers";

export function rememberAnswers(form) {
  if (form.hasAttribute("data-member")) return;
  const ticked = [...form.querySelectorAll("input[type=checkbox]:checked")].map((box) => [box.name, box.value]);
  try {
    localStorage.setItem(KEY, JSON.stringify(ticked));
  } catch {
    // Storage blocked: the answers hold for this session only.
  }
}

export function restoreAnswers(form) {
  if (form.hasAttribute("data-member")) return;
  let ticked = [];
  try {
    ticked = JSON.parse(localStorage.getItem(KEY) || "[]");
  } catch {
    return;
  }
  for (const [name, value] of Array.isArray(ticked) ? ticked : []) {
    const box = [...form.elements].find((input) => input.name === name && input.value === value);
    if (box && box.type === "checkbox") box.checked = true;
  }
  const summary = inWords(form);
  if (summary) form.querySelector('[data-role="last-answers"]').textContent = `Last time: ${summary}.`;
}

// "Inflamed spots, a breakout or cystic acne (cheeks, chin); Sunburn", from the ticked boxes.
function inWords(form) {
  return [...form.querySelectorAll(".check-item")]
    .filter((item) => item.querySelector(":scope > .check input:checked"))
    .map((item) => {
      const label = item.querySelector(":scope > .check").textContent.trim();
      const areas = [...item.querySelectorAll(".areas input:checked")].map((box) =>
        box.labels[0].textContent.trim().toLowerCase());
      return areas.length ? `${label} (${areas.join(", ")})` : label;
    })
    .join("; ");
}
