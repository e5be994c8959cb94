// "Keep for offline" on a routine's page (templates/offline/_keep.html): the service worker
// stores every page that plays it; pressed again, it removes them ("Remove from this device").
import { ask } from "./worker.js";

const box = document.querySelector("[data-offline-keep]");

function showKept(kept, note = "") {
  const button = box.querySelector("button");
  button.setAttribute("aria-pressed", String(kept));
  button.textContent = kept ? "Kept for offline: remove" : "Keep for offline";
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
      showKept(true, complete ? "Kept: it plays without a connection on this device."
        : "Kept, but some pages could not be fetched: try again with a better connection.");
    }
  });
}

if (box && "serviceWorker" in navigator) start();
