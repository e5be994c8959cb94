// The offline banner (templates/offline/_body.html): one line at the foot of the screen.
// Each part of the offline scripts says its piece in its own slot (the queue, a new
// version); the first slot with a button lends it. Its stylesheet loads the first time it
// has something to say, so a page that never shows it fetches nothing more.
const banner = document.getElementById("offline-banner");
const slots = new Map();

function loadStyles() {
  if (document.querySelector("link[data-offline-styles]")) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = banner.dataset.styles;
  link.dataset.offlineStyles = "";
  document.head.append(link);
}

/** Put `text` in `slot` (empty text clears it), with a button `action` = {label, run} if given. */
export function say(slot, text, action = null) {
  if (!banner) return;
  if (text) slots.set(slot, { text, action });
  else slots.delete(slot);
  const parts = [...slots.values()];
  const withButton = parts.find((part) => part.action);
  const button = banner.querySelector(".offline-banner-action");
  banner.querySelector(".offline-banner-text").textContent = parts.map((part) => part.text).join(" ");
  button.hidden = !withButton;
  button.onclick = withButton ? withButton.action.run : null;
  if (withButton) button.textContent = withButton.action.label;
  if (parts.length) loadStyles();
  banner.hidden = !parts.length;
}

/** Who is signed in on this page: their offline account key, "" for a visitor. */
export const account = banner ? banner.dataset.account : "";
/** The zone a member's typed times are read in (their profile's); "" for a visitor. */
export const profileZone = banner ? banner.dataset.zone : "";
