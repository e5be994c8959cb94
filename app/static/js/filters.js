// The routine filters as chips that apply at once. Without this module the form's lists and
// its "Show routines" button work as before (a GET form); with it, each list becomes a row of
// toggle buttons, and a tap fetches the same URL the form would have sent and swaps in its
// results, so the page, the address and the count agree with what the server would show.
const form = document.querySelector("[data-filters]");
const results = document.querySelector("[data-results]");

function chipRow(select, onChoose) {
  const label = form.querySelector(`label[for="${select.id}"]`);
  const row = document.createElement("div");
  row.setAttribute("role", "group");
  row.setAttribute("aria-labelledby", `${select.id}-chips`);
  const title = document.createElement("p");
  title.className = "chip-group-label";
  title.id = `${select.id}-chips`;
  title.textContent = label ? label.textContent : select.name;
  const chips = document.createElement("div");
  chips.className = "chip-group";
  for (const option of select.options) {
    const chip = document.createElement("button");
    chip.type = "button";
    chip.className = "chip";
    chip.textContent = option.textContent;
    chip.dataset.value = option.value;
    chip.addEventListener("click", () => onChoose(select, option.value));
    chips.append(chip);
  }
  row.append(title, chips);
  return row;
}

function showChosen() {
  for (const select of form.querySelectorAll("select")) {
    for (const chip of form.querySelectorAll(`[aria-labelledby="${select.id}-chips"] .chip`)) {
      chip.setAttribute("aria-pressed", String(chip.dataset.value === select.value));
    }
  }
}

let pending = null;

async function apply(live) {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (value) params.append(name, value);
  const url = `${form.action}${params.size ? `?${params}` : ""}`;
  pending?.abort();
  pending = new AbortController();
  results.setAttribute("aria-busy", "true");
  try {
    const response = await fetch(url, { signal: pending.signal, headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-results]");
    if (!fresh) throw new Error("no results in the answer");
    results.replaceChildren(...fresh.childNodes);
    history.replaceState(null, "", url);
    const count = results.querySelector("[data-results-count]");
    live.textContent = count ? count.textContent : "";
  } catch (error) {
    if (error.name === "AbortError") return;
    form.submit();  // no answer (offline, a server error): let the browser go there itself
  } finally {
    results.removeAttribute("aria-busy");
  }
}

if (form && results && "replaceChildren" in Element.prototype) {
  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  const choose = (select, value) => {
    select.value = value;
    showChosen();
    apply(live);
  };
  for (const select of form.querySelectorAll("select")) form.append(chipRow(select, choose));
  form.append(live);
  form.classList.add("filters-enhanced");
  showChosen();
}
