// The offline page: the routines that play on this device (kept or visited), each a link to play it.
import { ask } from "./worker.js";

async function list() {
  const { routines } = await ask({ type: "playable" });
  if (!routines.length) return;
  const ul = document.querySelector(".offline-kept-list");
  for (const routine of routines.sort((a, b) => a.title.localeCompare(b.title))) {
    const link = document.createElement("a");
    link.href = `/routines/${routine.slug}/play`;
    link.textContent = routine.title;
    const item = document.createElement("li");
    item.append(link);
    ul.append(item);
  }
  ul.hidden = false;
}

// Shown in place of a player step adapted to today's skin check (static/js/offline/sw-pages.js).
if (/^\/routines\/[a-z0-9-]+\/play$/.test(window.location.pathname)) {
  document.querySelector(".offline-skin-check").hidden = false;
}
if ("serviceWorker" in navigator) list();
