// The guided player. The server renders every step of today's session with links that
// work without JavaScript; this script takes over the same markup: a get-ready lead-in,
// timed steps that move on by themselves, sound cues, keyboard control and a screen that
// stays awake.
import { Countdown, formatClock, formatDuration, now } from "./clock.js";
import { loadSoundMode, saveSoundMode } from "./settings.js";
import { chime, readyPhrase, say, soundAllowed, unlockAudio } from "./sound.js";
import { ScreenAwake } from "./wakelock.js";

const KEY_ACTIONS = { " ": "pause", ArrowRight: "next", ArrowLeft: "previous" };

class Player {
  constructor(root) {
    this.root = root;
    this.part = (role) => root.querySelector(`[data-role="${role}"]`);
    this.steps = [...root.querySelectorAll(".player-step")];
    this.durations = this.steps.map((step) => Number(step.dataset.seconds) * 1000);
    this.total = this.durations.reduce((sum, ms) => sum + ms, 0);
    this.index = Math.max(0, this.steps.findIndex((step) => !step.hidden));
    this.buttons = Object.fromEntries(
      [...this.part("controls").querySelectorAll("button")].map((button) => [button.dataset.action, button]),
    );
    this.awake = new ScreenAwake();
    this.userPaused = false;
    this.spentMs = 0;
    this.timer = null;
  }

  start() {
    this.part("links").hidden = true;
    this.part("controls").hidden = false;
    this.setUpSound();
    this.listen();
    const leadIn = Number(this.root.dataset.leadIn ?? 5) * 1000;
    if (leadIn > 0) {
      this.phase = "lead-in";
      this.countdown = new Countdown(leadIn, now());
      this.part("lead-in").hidden = false;
    } else {
      this.beginStep(this.index, now());
    }
    this.showStep();
    this.awake.keep();
    this.tick();
  }

  listen() {
    this.part("controls").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) this.act(button.dataset.action);
    });
    document.addEventListener("keydown", (event) => this.onKey(event));
    // A throttled background tab catches up as soon as it is seen again.
    document.addEventListener("visibilitychange", () => this.tick());
    // Sound may only start after a gesture on this page (see sound.js).
    const unlock = () => {
      unlockAudio();
      this.part("sound-hint").hidden = true;
      document.removeEventListener("click", unlock, true);
      document.removeEventListener("keydown", unlock, true);
    };
    document.addEventListener("click", unlock, true);
    document.addEventListener("keydown", unlock, true);
  }

  setUpSound() {
    const fieldset = this.part("sound");
    const checked = fieldset.querySelector("input:checked");
    this.soundMode = loadSoundMode(checked ? checked.value : "chime");
    const radio = fieldset.querySelector(`input[value="${this.soundMode}"]`);
    if (radio) radio.checked = true;
    fieldset.hidden = false;
    fieldset.addEventListener("change", (event) => {
      this.soundMode = event.target.value;
      saveSoundMode(this.soundMode);
      this.updateSoundHint();
    });
    this.updateSoundHint();
  }

  updateSoundHint() {
    this.part("sound-hint").hidden = this.soundMode === "silent" || soundAllowed();
  }

  onKey(event) {
    const action = KEY_ACTIONS[event.key];
    if (!action || event.repeat || event.altKey || event.ctrlKey || event.metaKey || this.phase === "done") return;
    // Leave keys alone in form controls (the sound choice, anything the page adds), except
    // on the player's own buttons, where Space should still pause rather than press them.
    const target = event.target;
    const ownButton = target.closest && target.closest('[data-role="controls"] button');
    if (!ownButton && target.closest && target.closest("input, select, textarea, button, [contenteditable]")) return;
    event.preventDefault();
    this.act(action);
  }

  act(action) {
    const last = this.steps.length - 1;
    if (action === "pause") this.togglePause();
    else if (action === "next" && this.index < last) this.goTo(this.index + 1);
    else if (action === "previous" && this.index > 0) this.goTo(this.index - 1);
    else if (action === "finish") this.finish(this.leaveStep(now()));
  }

  togglePause() {
    const at = now();
    this.userPaused = !this.userPaused;
    if (this.userPaused) {
      this.countdown.pause(at);
      this.awake.letGo();
    } else {
      this.countdown.resume(at);
      this.awake.keep();
    }
    this.buttons.pause.textContent = this.userPaused ? "Resume" : "Pause";
    this.announce(this.userPaused ? "Paused" : "Playing");
    this.tick();
  }

  // Time spent on the current step so far; the lead-in and paused time do not count.
  leaveStep(at) {
    return this.phase === "playing" ? this.countdown.elapsed(at) : 0;
  }

  goTo(index) {
    const at = now();
    this.spentMs += this.leaveStep(at);
    this.beginStep(index, at);
    this.showStep();
    this.tick();
  }

  beginStep(index, at) {
    if (this.phase === "lead-in") this.part("lead-in").hidden = true;
    this.phase = "playing";
    this.index = index;
    this.countdown = new Countdown(this.durations[index], at);
    if (this.userPaused) this.countdown.pause(at);
  }

  // Every time-up since the last reading, in order; after a long sleep that can be several.
  tick() {
    clearTimeout(this.timer);
    if (this.phase === "done") return;
    const at = now();
    let moved = false;
    while (!this.countdown.paused && this.countdown.remaining(at) <= 0) {
      const endedAt = this.countdown.endsAt();
      if (this.phase === "playing") this.spentMs += this.durations[this.index];
      if (this.phase === "playing" && this.index === this.steps.length - 1) {
        this.finish(0);
        return;
      }
      this.beginStep(this.phase === "lead-in" ? this.index : this.index + 1, endedAt);
      moved = true;
    }
    if (moved) {
      this.showStep();
      this.cue();
    }
    this.render(at);
    this.root.dataset.state = this.userPaused ? "paused" : this.phase;
    if (!this.countdown.paused) {
      // Wake exactly when the shown second changes or the step ends, never on a fixed beat.
      this.timer = setTimeout(() => this.tick(), this.countdown.remaining(at) % 1000 || 1000);
    }
  }

  cue() {
    if (this.soundMode === "silent") return;
    chime();
    if (this.soundMode !== "voice") return;
    const step = this.steps[this.index];
    const title = step.querySelector(".step-title").textContent.trim();
    say(`${title}. ${readyPhrase(step.dataset.needs || "")}`.trim());
  }

  showStep() {
    const count = this.steps.length;
    const last = this.index === count - 1;
    const focused = document.activeElement;
    this.steps.forEach((step, i) => {
      step.hidden = i !== this.index;
    });
    const position = `Step ${this.index + 1} of ${count}`;
    this.part("position").textContent = position;
    document.title = document.title.replace(/^Step \d+ of \d+/, position);
    this.buttons.previous.hidden = this.index === 0;
    this.buttons.next.hidden = last;
    this.buttons.finish.hidden = !last;
    if (focused && focused.hidden) (last ? this.buttons.finish : this.buttons.pause).focus();
    const title = this.steps[this.index].querySelector(".step-title").textContent.trim();
    this.announce(`${position}: ${title}`);
    // A reload comes back to this step.
    const url = new URL(this.root.dataset.stepUrl, location.href);
    url.searchParams.set("step", String(this.index + 1));
    history.replaceState(null, "", url);
  }

  render(at) {
    const inStep = this.phase === "playing";
    const remaining = Math.ceil(this.countdown.remaining(at) / 1000);
    if (!inStep) this.part("lead-in-count").textContent = String(remaining);
    const stepLeft = inStep ? remaining : this.durations[this.index] / 1000;
    this.part("countdown").textContent = formatClock(stepLeft);
    const before = this.durations.slice(0, this.index).reduce((sum, ms) => sum + ms, 0) / 1000;
    const done = before + this.durations[this.index] / 1000 - stepLeft;
    const total = this.total / 1000;
    this.part("routine-left").textContent = formatDuration(total - done);
    const bar = this.part("progress");
    bar.setAttribute("aria-valuenow", String(done));
    bar.setAttribute("aria-valuetext", `${formatDuration(done)} of ${formatDuration(total)}`);
    this.part("progress-fill").setAttribute("width", String(done));
  }

  announce(text) {
    this.part("announce").textContent = text;
  }

  finish(partialMs) {
    this.phase = "done";
    this.root.dataset.state = "done";
    clearTimeout(this.timer);
    this.awake.letGo();
    const url = new URL(this.root.dataset.doneUrl, location.href);
    url.searchParams.set("spent", String(Math.round((this.spentMs + partialMs) / 1000)));
    location.assign(url);
  }
}

const root = document.getElementById("player");
if (root) new Player(root).start();
