// The printable summary's Print button: shown only when a script can print the page (without
// JavaScript the browser's own Print is the way, as the page says).
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
