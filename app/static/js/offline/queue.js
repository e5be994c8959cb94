// The offline log queue (issue 18): a session log form marked `data-offline-log` that
// cannot reach the server is kept in IndexedDB (idb) with its client id, shown in the
// banner as waiting to sync, and sent when the server answers again: on the next page load,
// on the `online` event, or when Background Sync wakes the page (static/js/offline/sw-pages.js).
// The server stores a client id once (app/sessions/logbook.py), so a log sent twice is one.
//
// Each log belongs to the account that made it: before sending, the queue asks the server
// who is signed in and for a fresh CSRF token (/offline/sync), and sends only that
// account's logs (and a visitor's, which wait for an account as before). At sign-out,
// unsent logs are named in the banner and kept on the device for their account.
//
// A log the server refuses as it is (its form's errors, status 400: a rule changed since it
// was kept, say) is not sent again by itself: the banner offers to review it, which opens the
// server's own log form with the problem marked and every value kept.
import { openDB } from "../../vendor/idb.js";
import { serverState } from "../forms.js";
import { account, profileZone, say } from "./banner.js";

const LOGS = "logs"; // {clientId, account, action, body, url, queuedAt, refused?}
const USED = "used"; // {clientId, url}: every client id this device has sent or kept
let database;

function open() {
  database ||= openDB("glowstep-offline", 1, {
    upgrade(db) {
      db.createObjectStore(LOGS, { keyPath: "clientId" });
      db.createObjectStore(USED, { keyPath: "clientId" });
    },
  });
  return database;
}

function sessions(count) {
  return `${count} session${count === 1 ? "" : "s"}`;
}

/** The wall time of `date` in `zone`, as the log form takes it: "YYYY-MM-DDTHH:MM:SS". */
export function wallTime(date, zone) {
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  const part = Object.fromEntries(format.formatToParts(date).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}`;
}

/** The client id this form's log goes with. The same page (Back, reload, a second tap)
 * keeps its id, so it is stored once; a cached form used again for another session (another
 * URL: another time spent) gets a new one, so it is not taken for the first. */
async function clientIdFor(form) {
  const field = form.querySelector('input[name="client_id"]');
  const db = await open();
  const used = await db.get(USED, field.value);
  if (used && used.url !== window.location.href) field.value = crypto.randomUUID();
  await db.put(USED, { clientId: field.value, url: window.location.href });
  return field.value;
}

async function keep(form, clientId) {
  const values = new URLSearchParams([...new FormData(form)].filter(([name]) => name !== "csrf_token"));
  if (!values.get("completed_at")) {
    // Logged as it happened: the time is now, on this device, not when it reaches the server.
    const zone = profileZone || Intl.DateTimeFormat().resolvedOptions().timeZone;
    values.set("completed_at", wallTime(new Date(), zone));
  }
  values.set("queued", "1"); // a device clock ahead is then stored as now and flagged, not refused
  await (await open()).put(LOGS, {
    clientId, account, action: form.action, body: values.toString(), url: window.location.href, queuedAt: Date.now(),
  });
  try {
    const registration = await navigator.serviceWorker.ready;
    await registration.sync?.register("glowstep-logs");
  } catch {
    // No Background Sync here: the next page load or `online` event sends it.
  }
}

function showKept(form) {
  const note = document.createElement("p");
  note.className = "notice";
  note.setAttribute("role", "status");
  note.tabIndex = -1;
  note.textContent = "No connection: this session is saved on this device and sent when you're back online.";
  form.replaceWith(note);
  note.focus();
}

async function submitted(event) {
  const form = event.target;
  if (!form.matches("form[data-offline-log]")) return;
  event.preventDefault();
  if (form.dataset.sending) return; // a second tap while the first is on its way
  if (!form.checkValidity()) {
    form.reportValidity(); // offline, the server cannot point out a missing answer
    return;
  }
  form.dataset.sending = "yes";
  const clientId = await clientIdFor(form);
  const state = await serverState();
  if (state && state.account === account) {
    form.querySelector('input[name="csrf_token"]').value = state.csrf_token;
    form.submit(); // the server answers as it always has (errors, the saved session)
    return;
  }
  await keep(form, clientId);
  showKept(form);
  await show();
}

async function show() {
  const logs = await (await open()).getAll(LOGS);
  const mine = logs.filter((log) => !log.account || log.account === account);
  const own = mine.length;
  const others = logs.length - own;
  const refused = mine.filter((log) => log.refused);
  if (refused.length) {
    const waiting = own - refused.length ? ` ${sessions(own - refused.length)} waiting to sync.` : "";
    say("queue", `${sessions(refused.length)} logged offline couldn't be saved as ${refused.length === 1 ? "it was" : "they were"}.${waiting}`, {
      label: refused.length === 1 ? "Review it" : "Review the first",
      run: () => review(refused[0]),
    });
  } else if (own) say("queue", `${sessions(own)} waiting to sync.`);
  else if (others) say("queue", `${sessions(others)} logged offline ${others === 1 ? "waits" : "wait"} for their account: sign in to send ${others === 1 ? "it" : "them"}.`);
  else say("queue", "");
  const banner = document.getElementById("offline-banner");
  if (banner) banner.dataset.waiting = String(own); // what the queue last counted, for styles and tests
  return own;
}

/** Send this account's waiting logs (and a visitor's), one at a time, across tabs. */
export async function sync() {
  const send = async () => {
    const db = await open();
    const waiting = (await db.getAll(LOGS)).filter((log) => !log.refused && (!log.account || log.account === account));
    if (!waiting.length) return;
    const state = await serverState();
    if (!state) return;
    for (const log of waiting) {
      if (log.account && log.account !== state.account) continue; // never as another account
      const body = new URLSearchParams(log.body);
      body.set("csrf_token", state.csrf_token);
      let response;
      try {
        response = await fetch(log.action, { method: "POST", body, redirect: "manual" });
      } catch {
        return; // gone again: the rest wait
      }
      // A redirect is the server's answer to a stored log (or one it already had, or a
      // deleted one that stays deleted); its form's errors (400) wait for the person to
      // review them; anything else (the server unwell) leaves the log waiting.
      if (response.type === "opaqueredirect") await db.delete(LOGS, log.clientId);
      else if (response.status === 400) await db.put(LOGS, { ...log, refused: Date.now() });
    }
  };
  if (navigator.locks) await navigator.locks.request("glowstep-offline-sync", send);
  else await send();
  await show();
}

/** Open a refused log in the server's own form: posted as the person's form would be, so the
 * answer is that form with its errors marked and every value kept, and its client id with it,
 * so saving it there stores it once. It leaves the device only once the server has answered
 * for its token; otherwise it stays and the banner keeps offering it. */
async function review(log) {
  const state = await serverState();
  if (!state || (log.account && log.account !== state.account)) return;
  const form = Object.assign(document.createElement("form"), { method: "post", action: log.action, hidden: true });
  const body = new URLSearchParams(log.body);
  body.set("csrf_token", state.csrf_token);
  for (const [name, value] of body) form.append(Object.assign(document.createElement("input"), { type: "hidden", name, value }));
  document.body.append(form);
  await (await open()).delete(LOGS, log.clientId);
  form.submit();
}

/** Send the sign-out on its way again, past this warning: forms.js adds a fresh token. */
function signOut(form) {
  form.dataset.warned = "yes";
  form.requestSubmit();
}

// In the capture phase, before forms.js fetches the sign-out's token: logs this account has not
// sent yet are named first, and stay on the device.
function signingOut(event) {
  const form = event.target;
  if (!form.matches('form[action$="/auth/logout"]')) return;
  navigator.serviceWorker?.controller?.postMessage({ type: "signed-out" }); // Today and other pages of theirs
  if (form.dataset.warned) return;
  event.preventDefault();
  show().then((own) => {
    if (!own) {
      signOut(form);
      return;
    }
    say("queue", `${sessions(own)} from your account ${own === 1 ? "hasn't" : "haven't"} synced yet. ${own === 1 ? "It stays" : "They stay"} on this device and ${own === 1 ? "is" : "are"} sent the next time you sign in here.`, {
      label: "Sign out anyway",
      run: () => signOut(form),
    });
  });
}

/** A player's last screen kept for offline is the same for every time spent: put this
 * session's (the URL's `spent`, as app/player/routes.py does) in its form. */
function fillTimeSpent() {
  const form = document.querySelector("form[data-offline-log]");
  const spent = Number(new URLSearchParams(window.location.search).get("spent"));
  const seconds = form?.querySelector('input[name="seconds"]');
  if (!seconds || !Number.isInteger(spent) || spent < 1 || seconds.value === String(spent)) return;
  seconds.value = String(spent);
  form.querySelector('input[name="minutes"]').value = String(Math.max(1, Math.round(spent / 60)));
}

/** Watch log and sign-out forms, show what waits, and send it now and whenever the connection returns. */
export function startQueue() {
  if (!("indexedDB" in window)) return;
  fillTimeSpent();
  document.addEventListener("submit", submitted);
  document.addEventListener("submit", signingOut, { capture: true });
  window.addEventListener("online", sync);
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data?.type === "sync") sync();
  });
  sync();
}
