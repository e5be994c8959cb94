// The offline page: the routines that play on this device (kept or visited), each a link to play it.
import { ask } from "./worker.js";

async function list() {
  const { routines } = await ask({ type: "playable" });
  skinCheckNotice(routines);
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

// Shown in place of a player step adapted to today's skin check (static/js/offline/sw-pages.js):
// a routine on this device plays today's version from its start, where Start adapts it
// (static/js/offline/plan-page.js); any other needs the server.
function skinCheckNotice(routines) {
  const [, slug] = window.location.pathname.match(/^\/routines\/([a-z0-9-]+)\/play$/) || [];
  if (!slug) return;
  const kept = routines.some((routine) => routine.slug === slug);
  const notice = document.querySelector(kept ? ".offline-skin-check-kept" : ".offline-skin-check");
  notice.querySelector("a")?.setAttribute("href", `/routines/${slug}/play`);
  notice.hidden = false;
}

if ("serviceWorker" in navigator) list();
