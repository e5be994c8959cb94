// The theme someone picked by hand (localStorage "glowstep-theme": "light" or "dark") goes on
// <html data-theme> before the first paint; without a choice the page follows the system
// (prefers-color-scheme in site.css). The server never knows, so every visitor's page stays
// the same bytes. A classic script in <head>, not a module: modules are deferred, and the page
// would flash the system's theme first.
(() => {
  const KEY = "glowstep-theme";
  const root = document.documentElement;
  // Pages whose layout changes once their script runs (the player) take that layout from the
  // first paint, keyed on this, instead of moving when the script arrives.
  root.classList.add("scripted");
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");

  function stored() {
    try {
      const value = localStorage.getItem(KEY);
      return value === "light" || value === "dark" ? value : null;
    } catch {
      return null;  // storage blocked: follow the system
    }
  }

  // The browser's bar follows too: each <meta name="theme-color"> keeps its own colour for
  // its media query, and a chosen theme puts its colour on both.
  function paintBar(choice) {
    const metas = [...document.querySelectorAll('meta[name="theme-color"]')];
    for (const meta of metas) meta.dataset.own ??= meta.content;
    const chosen = choice && metas.find((meta) => meta.media.includes(choice));
    for (const meta of metas) meta.content = chosen ? chosen.dataset.own : meta.dataset.own;
  }

  function apply(choice) {
    if (choice) root.dataset.theme = choice;
    else delete root.dataset.theme;
    paintBar(choice);
  }

  function current() {
    return root.dataset.theme || (systemDark.matches ? "dark" : "light");
  }

  // A choice that matches the system is forgotten, so the page follows the system again.
  function choose(theme) {
    const keep = theme === (systemDark.matches ? "dark" : "light") ? null : theme;
    try {
      if (keep) localStorage.setItem(KEY, keep);
      else localStorage.removeItem(KEY);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
    apply(keep);
  }

  apply(stored());

  function wire() {
    const holder = document.querySelector("[data-theme-choice]");
    if (!holder) return;
    const button = holder.querySelector("button");
    const show = () => button.setAttribute("aria-pressed", String(current() === "dark"));
    button.addEventListener("click", () => {
      choose(current() === "dark" ? "light" : "dark");
      show();
    });
    systemDark.addEventListener("change", show);
    window.addEventListener("storage", (event) => {
      if (event.key === KEY) {
        apply(stored());
        show();
      }
    });
    show();
    holder.hidden = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
