// "Keep for offline" on a routine's page (templates/offline/_keep.html): the service worker
// stores every page that plays it; pressed again, it removes them. One name, pressed or not
// (aria-pressed), as forms.js's Show button: the name never changes under a screen reader.
import { ask } from "./worker.js";

const box = document.querySelector("[data-offline-keep]");

const KEPT_NOTE = "Kept on this device: it plays without a connection. Press again to remove it.";

function showKept(kept, note = kept ? KEPT_NOTE : "") {
  box.querySelector("button").setAttribute("aria-pressed", String(kept));
  box.querySelector(".offline-keep-status").textContent = note;
}

async function start() {
  const routine = { slug: box.dataset.offlineKeep, title: box.dataset.title, urls: JSON.parse(box.dataset.urls) };
  const { routines } = await ask({ type: "kept" });
  showKept(routines.some((kept) => kept.slug === routine.slug));
  box.hidden = false;
  box.querySelector("button").addEventListener("click", async (event) => {
    const kept = event.currentTarget.getAttribute("aria-pressed") === "true";
    if (kept) {
      await ask({ type: "forget", slug: routine.slug });
      showKept(false, "Removed from this device.");
    } else {
      box.querySelector(".offline-keep-status").textContent = "Keeping…";
      const { complete } = await ask({ type: "keep", routine });
      showKept(true, complete ? KEPT_NOTE
        : "Kept, but some pages could not be fetched: press twice to try again with a better connection.");
    }
  });
}

if (box && "serviceWorker" in navigator) start();
