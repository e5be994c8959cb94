// Pages in the service worker, imported by the Workbox-built /sw.js (app/offline/build.py),
// which sets self.GLOWSTEP_BUILD (the static fingerprint) first and precaches every static
// file of that build. Here: pages, network first; a page kept for offline, or a player page
// once visited, answers from this build's cache without a connection; any other page
// answers with the offline page. Caches are named by build, and a new build fetches every
// page the old one kept before it takes over, so no page of one build runs with the files
// of another. A classic script (importScripts), not a module.
(() => {
  const BUILD = self.GLOWSTEP_BUILD;
  const PAGES = `glowstep-pages-${BUILD}`; // visited player and catalogue pages
  const KEPT = `glowstep-kept-${BUILD}`; // "Keep for offline": every page of a routine
  const SHELL = `glowstep-shell-${BUILD}`;
  const SHELL_URLS = ["/offline", "/offline/skin-rules.json", "/manifest.webmanifest"];
  const KEPT_INDEX = "/offline/kept/"; // + slug: {slug, title, urls}, kept as a JSON response
  // Pages the same for every visit of a routine, kept once visited: the player (its steps as
  // written, not today's adapted ones: the skin check is applied in the browser,
  // static/js/offline/skin-rules.js) and its last screen, the routine page, Today, the log
  // form, and Mirror mode's frame (its model files are kept by the Workbox route in build_sw.mjs).
  const PLAYER = /^\/routines\/[a-z0-9-]+\/play(\/done)?$/;
  const VISITED = [PLAYER, /^\/routines\/[a-z0-9-]+$/, /^\/$/, /^\/sessions\/new$/, /^\/mirror\/frame$/];
  // Query parameters that name the page, and those that change nothing kept (time spent, the
  // log form's "another one"); any other with a value is a skin-check answer.
  const NAMING = ["step"];
  const UNKEPT = ["spent", "after", "routine"];

  /** The cache key of a page: its path with only its naming parameters. */
  function pageKey(url) {
    const key = new URL(url.pathname, url.origin);
    for (const name of NAMING) if (url.searchParams.has(name)) key.searchParams.set(name, url.searchParams.get(name));
    return key.href;
  }

  /** Whether the page was asked for with today's skin-check answers (so it is adapted). */
  function answered(url) {
    return [...url.searchParams].some(([name, value]) => value && !NAMING.includes(name) && !UNKEPT.includes(name));
  }

  /** A player page was visited: keep the routine's other pages too, so it plays to the end. */
  async function visitRoutine(slug) {
    const cache = await caches.open(PAGES);
    const facts = `/offline/routines/${slug}.json`;
    if (await cache.match(facts)) return;
    const response = await fetch(facts, { credentials: "same-origin" });
    if (!response.ok) return;
    const { urls } = await response.clone().json();
    // The facts mark the routine kept whole: after a failed fetch, the next visit tries again.
    if (await store(cache, urls.filter((url) => url !== facts))) await cache.put(facts, response);
  }

  async function page(event) {
    const { request } = event;
    const url = new URL(request.url);
    try {
      const response = await fetch(request);
      if (response.ok && response.type === "basic" && VISITED.some((re) => re.test(url.pathname)) && !answered(url)) {
        const copy = response.clone();
        event.waitUntil(caches.open(PAGES).then((cache) => cache.put(pageKey(url), copy)));
      }
      if (response.ok && PLAYER.test(url.pathname)) event.waitUntil(visitRoutine(url.pathname.split("/")[2]));
      return response;
    } catch (error) {
      const key = pageKey(url);
      // A step adapted to today's answers is not the kept one: the offline page says so, and
      // leads to the routine's start, where Start adapts it in the browser (plan-page.js).
      const kept = !answered(url) && ((await caches.match(key, { cacheName: KEPT }))
        || (await caches.match(key, { cacheName: PAGES })));
      return kept || (await caches.match("/offline", { cacheName: SHELL })) || Response.error();
    }
  }

  self.addEventListener("fetch", (event) => {
    const { request } = event;
    const url = new URL(request.url);
    if (request.method !== "GET" || url.origin !== self.location.origin) return;
    if (request.mode === "navigate") {
      event.respondWith(page(event));
    } else if (SHELL_URLS.includes(url.pathname) || url.pathname.startsWith("/offline/routines/")) {
      event.respondWith(fetch(request).catch(async () =>
        (await caches.match(url.href, { cacheName: SHELL })) || (await caches.match(url.href, { cacheName: KEPT }))
        || (await caches.match(url.href, { cacheName: PAGES })) || Response.error()));
    }
  });

  /** Store every URL afresh in `cache`; one that fails is left out, not the whole lot. */
  async function store(cache, urls) {
    const results = await Promise.allSettled(urls.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(`${response.status} ${url}`);
      await cache.put(url, response);
    }));
    return results.every((result) => result.status === "fulfilled");
  }

  async function keptRoutines(cacheName) {
    const cache = await caches.open(cacheName);
    const keys = await cache.keys();
    const index = keys.filter((request) => new URL(request.url).pathname.startsWith(KEPT_INDEX));
    return Promise.all(index.map(async (request) => (await cache.match(request)).json()));
  }

  /** Every routine that plays offline: kept, or visited ({slug, title}). */
  async function playable() {
    const pages = await caches.open(PAGES);
    const visited = (await pages.keys()).filter((request) => /^\/offline\/routines\/.+\.json$/.test(new URL(request.url).pathname));
    const facts = await Promise.all(visited.map(async (request) => (await pages.match(request)).json()));
    const all = new Map([...facts, ...(await keptRoutines(KEPT))].map(({ slug, title }) => [slug, { slug, title }]));
    return [...all.values()];
  }

  async function keep(routine, cacheName = KEPT) {
    const cache = await caches.open(cacheName);
    const complete = await store(cache, routine.urls);
    await cache.put(KEPT_INDEX + routine.slug, new Response(JSON.stringify(routine),
      { headers: { "Content-Type": "application/json" } }));
    return complete;
  }

  async function forget(slug) {
    const cache = await caches.open(KEPT);
    const entry = await cache.match(KEPT_INDEX + slug);
    if (!entry) return;
    const routine = await entry.json();
    const pages = await caches.open(PAGES);
    for (const url of routine.urls) {
      await cache.delete(url);
      await pages.delete(new URL(url, self.location.origin).href);
    }
    await cache.delete(KEPT_INDEX + slug);
  }

  // A new build fetches the shell and every page the previous build kept or visited, before
  // it may take over; the previous build's caches go once it has.
  self.addEventListener("install", (event) => {
    event.waitUntil((async () => {
      await (await caches.open(SHELL)).addAll(SHELL_URLS);
      for (const name of await caches.keys()) {
        if (name.startsWith("glowstep-kept-") && name !== KEPT) {
          for (const routine of await keptRoutines(name)) await keep(routine);
        } else if (name.startsWith("glowstep-pages-") && name !== PAGES) {
          const urls = (await (await caches.open(name)).keys()).map((request) => request.url);
          await store(await caches.open(PAGES), urls);
        }
      }
    })());
  });

  self.addEventListener("activate", (event) => {
    event.waitUntil((async () => {
      const ours = [PAGES, KEPT, SHELL];
      for (const name of await caches.keys()) {
        if (name.startsWith("glowstep-") && !ours.includes(name)) await caches.delete(name);
      }
    })());
  });

  // The page asks (static/js/offline/keep.js, kept-list.js, queue.js); the answer goes back on the port given.
  self.addEventListener("message", (event) => {
    const { type } = event.data || {};
    const reply = (value) => event.ports[0] && event.ports[0].postMessage(value);
    if (type === "keep") event.waitUntil(keep(event.data.routine).then((complete) => reply({ complete })));
    else if (type === "forget") event.waitUntil(forget(event.data.slug).then(() => reply({ done: true })));
    else if (type === "kept") event.waitUntil(keptRoutines(KEPT).then((routines) => reply({ routines })));
    else if (type === "playable") event.waitUntil(playable().then((routines) => reply({ routines })));
    else if (type === "signed-out") event.waitUntil(caches.delete(PAGES).then(() => reply({ done: true })));
  });

  // Background Sync: the queue lives with the page that knows who is signed in, so wake the
  // open pages to send it (static/js/offline/queue.js); without one, the next page load does.
  self.addEventListener("sync", (event) => {
    if (event.tag !== "glowstep-logs") return;
    event.waitUntil(self.clients.matchAll({ type: "window" }).then((clients) => {
      for (const client of clients) client.postMessage({ type: "sync" });
    }));
  });
})();
