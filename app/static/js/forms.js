// Every page's forms, progressively enhanced:
// - an error summary (a form sent back with a problem) takes focus, so a screen reader reads
//   it and a phone scrolls to it;
// - each password field gets a Show button, for typing on a phone without guessing;
// - the menu's sign-out form gets a fresh CSRF token as it is sent: pages carry none, so they
//   may travel compressed (base.html). Without this script, or offline, the server's own
//   "Sign out?" form (or the service worker's offline page) asks again.
const summary = document.querySelector("[data-error-summary]");
if (summary) summary.focus();

for (const input of document.querySelectorAll('input[type="password"]')) {
  const toggle = document.createElement("button");
  toggle.type = "button";
  toggle.className = "link-button password-toggle";
  toggle.textContent = "Show";
  toggle.setAttribute("aria-controls", input.id);
  toggle.setAttribute("aria-pressed", "false");
  // One name, "Show", pressed or not: the state is aria-pressed, so the name never changes
  // under a screen reader's cursor.
  toggle.addEventListener("click", () => {
    const showing = input.type === "text";
    input.type = showing ? "password" : "text";
    toggle.setAttribute("aria-pressed", String(!showing));
  });
  input.after(toggle);
}

/** Who is signed in here and a fresh CSRF token, as /offline/sync answers ({account,
 * csrf_token}); null when the server does not answer. The offline queue asks it too. */
export async function serverState() {
  try {
    const response = await fetch("/offline/sync", { cache: "no-store", signal: AbortSignal.timeout(8000) });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

// Bubbling, so a listener in the capture phase (the offline queue's warning about logs not yet
// sent, static/js/offline/queue.js) may hold the sign-out first.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  const field = form.querySelector('input[name="csrf_token"]');
  if (event.defaultPrevented || !form.matches('form[action$="/auth/logout"]') || !field || field.value) return;
  event.preventDefault();
  field.value = (await serverState())?.csrf_token ?? "";
  form.submit();
});
