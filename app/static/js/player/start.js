// Start begins the player in place: the step page is fetched and swapped into this one, so
// the tap on Start is the gesture that lets the page speak (iOS Safari allows speech only
// from a gesture on the same page). Anything but a player (the rest page, an error) opens
// as a normal page. Visitors' answers are kept in this browser for next time (answers.js).
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
    let response;
    try {
      response = await fetch(url, { headers: { Accept: "text/html" } });
    } catch {
      return startOffline(url, play);
    }
    try {
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const root = page.getElementById("player");
      if (!response.ok || !root) throw new Error("not a player page");
      swapIn(page, response.url);
      play(document.getElementById("player"));
    } catch {
      location.assign(url);
    }
  });
  // Back from the player to the start screen: show the real start screen again.
  addEventListener("popstate", () => location.reload());
}

// No connection: today's session from the routine kept on this device, else the offline page.
async function startOffline(url, play) {
  const page = await import("../offline/plan-page.js").then((plan) => plan.offlinePage(url)).catch(() => null);
  if (!page) return location.assign(url);
  swapIn(page, url);
  const root = document.getElementById("player");
  if (root) play(root);
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
