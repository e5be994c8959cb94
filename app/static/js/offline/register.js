// Every page, when a service worker was built (templates/offline/_body.html): register it
// once the page has loaded, so a first visit downloads the page before any background
// caching; tell the visitor when a new version is ready; start the offline log queue.
import { Workbox } from "../../vendor/workbox-window.js";
import { say } from "./banner.js";
import { startQueue } from "./queue.js";

function register() {
  const workbox = new Workbox("/sw.js");
  // A new build waits until the visitor says so, then takes over and the page reloads whole:
  // never a page of one build with the other's files.
  workbox.addEventListener("waiting", () => {
    say("update", "A new version of Glowstep is ready.", {
      label: "Reload",
      run: () => {
        workbox.addEventListener("controlling", () => window.location.reload());
        workbox.messageSkipWaiting();
      },
    });
  });
  workbox.register().catch(() => {}); // without a service worker the site works online as before
}

if ("serviceWorker" in navigator) {
  if (document.readyState === "complete") register();
  else window.addEventListener("load", register, { once: true });
}
startQueue();
