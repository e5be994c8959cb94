// Every page's forms, progressively enhanced:
// - an error summary (a form sent back with a problem) takes focus, so a screen reader reads
//   it and a phone scrolls to it;
// - each password field gets a Show button, for typing on a phone without guessing.
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
