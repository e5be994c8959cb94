// Every page, when a service worker was built (templates/offline/_body.html): once the page
// has loaded, register it, so a first visit downloads the page before any background caching;
// tell the visitor when a new version is ready; start the offline log queue. Its modules come
// after the load too: nothing of it is needed to show the page.

// A new build waits until the visitor says so, then takes over and the page reloads whole:
// never a page of one build with the other's files.
function offerUpdate(workbox, say) {
  say("update", "A new version of Glowstep is ready.", {
    label: "Reload",
    run: () => {
      navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload());
      workbox.messageSkipWaiting();
    },
  });
}

/** Offer the update once `worker` (installing or waiting) has installed. */
function whenInstalled(worker, offer) {
  if (!worker) return;
  if (worker.state === "installed") offer();
  else worker.addEventListener("statechange", () => worker.state === "installed" && offer());
}

async function register(Workbox, say) {
  const workbox = new Workbox("/sw.js");
  const updating = Boolean(navigator.serviceWorker.controller); // the first install takes the page at once
  let offered = false;
  const offer = () => {
    if (!offered) offerUpdate(workbox, say);
    offered = true;
  };
  let registration;
  try {
    registration = await workbox.register();
  } catch {
    return; // without a service worker the site works online as before
  }
  if (!updating || !registration) return;
  // The browser may have found the new build while this page loaded (before this script
  // listened), so look at the registration itself, as well as for updates still to come.
  whenInstalled(registration.waiting, offer);
  whenInstalled(registration.installing, offer);
  registration.addEventListener("updatefound", () => whenInstalled(registration.installing, offer));
}

async function start() {
  const [{ Workbox }, { say }, { startQueue }] = await Promise.all([
    import("../../vendor/workbox-window.js"), import("./banner.js"), import("./queue.js"),
  ]);
  startQueue();
  if ("serviceWorker" in navigator) register(Workbox, say);
}

if (document.readyState === "complete") start();
else window.addEventListener("load", start, { once: true });
