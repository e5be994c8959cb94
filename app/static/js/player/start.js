// Start begins the player in place: the step page is fetched and swapped into this one, so
// the tap on Start is the gesture that lets the page speak (iOS Safari allows speech only
// from a gesture on the same page). Anything but a player (the rest page, an error) opens
// as a normal page. Without a connection, a routine kept on this device is adapted to the
// answers in the browser (offline/plan-page.js), its player or its rest page swapped in the
// same way. Visitors' answers are kept in this browser for next time (answers.js).
import { rememberAnswers, restoreAnswers } from "./answers.js";
import { loadSoundMode } from "./settings.js";
import { say, unlockAudio } from "./sound.js";

export function startInPlace(form, play) {
  restoreAnswers(form);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    unlockAudio();
    if (loadSoundMode() === "voice") say("Get ready.");
    rememberAnswers(form);
    const url = new URL(form.action, location.href);
    url.search = new URLSearchParams(new FormData(form)).toString();
    form.querySelector("button[type=submit], button:not([type])")?.setAttribute("aria-busy", "true");
    let page = null;
    try {
      page = await playerPage(url);
    } catch {
      // No connection: today's session from the routine kept on this device, if it is.
      page = await import("../offline/plan-page.js").then(({ offlinePage }) => offlinePage(url)).catch(() => null);
    }
    if (!page) {
      location.assign(url);
      return;
    }
    swapIn(page, url);
    const root = document.getElementById("player");
    if (root) play(root);
  });
  // Back from the player to the start screen: show the real start screen again.
  addEventListener("popstate", () => location.reload());
}

/** The step page for these answers from the server, or null when it is not a player page
 *  (the rest page, an error: opened as a normal page). Rejects without a connection. */
async function playerPage(url) {
  const response = await fetch(url, { headers: { Accept: "text/html" } });
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  return response.ok && page.getElementById("player") ? page : null;
}

function swapIn(page, url) {
  for (const link of page.head.querySelectorAll('link[rel="stylesheet"]')) {
    if (!document.querySelector(`link[rel="stylesheet"][href="${link.getAttribute("href")}"]`)) {
      document.head.append(document.importNode(link));
    }
  }
  document.title = page.title;
  document.body.className = page.body.className;
  document.getElementById("main").replaceChildren(...[...page.getElementById("main").childNodes].map((node) =>
    document.importNode(node, true)));
  history.pushState(null, "", url);
  scrollTo(0, 0);
  document.querySelector("#player .player-step:not([hidden]) .step-title")?.focus({ preventScroll: true });
}
