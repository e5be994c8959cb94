// The guided player. The server renders every step of today's session with links that
// work without JavaScript; this script takes over the same markup: a get-ready lead-in,
// timed steps that move on by themselves, a voice coach, keyboard control and a screen that
// stays awake. On the start screen, Start begins the player in place (no page load), so the
// same tap that starts it lets the page speak, on every browser.
//
// #player carries data-state (idle | lead-in | playing | paused | ended) and dispatches
// bubbling `player:step` {number, total, seconds, title} and `player:state` {state} events:
// the drawings and the mirror listen to them. `player:tick` {next} says when (Date.now() time)
// the clock next changes, so the mirror's model can keep its work clear of that moment.
// It listens for `player:hold` {question, held}: another part of the page asking the person
// something first (the mirror's word about the camera) pauses it until that is answered.
import { Countdown, formatClock, formatDuration, now } from "./clock.js";
import { dueLines, leadInScript, stepScript } from "./coach.js";
import { loadSetting, loadSoundMode, saveSetting } from "./settings.js";
import { chime, hush, readyPhrase, say, soundAllowed, unlockAudio, voices } from "./sound.js";
import { startInPlace } from "./start.js";
import { ScreenAwake } from "./wakelock.js";

const KEY_ACTIONS = { " ": "pause", ArrowRight: "next", ArrowLeft: "previous", Escape: "end" };
const SOUND_NAMES = { silent: "off", chime: "chime", voice: "voice" };
// How long the last "Well done" may take before the finish screen opens anyway.
const FAREWELL_MS = 1500;

const text = (element, selector) => element.querySelector(selector)?.textContent.trim() ?? "";

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
    this.dialog = this.part("end-dialog");
    this.awake = new ScreenAwake();
    this.userPaused = false;
    // The questions open on the page that paused the player (the end dialog, the camera): it
    // plays on once the last is answered, unless the person had paused it first.
    this.pausedFor = new Set();
    this.spentMs = 0;
    this.timer = null;
    this.script = [];
  }

  start() {
    this.part("links").hidden = true;
    this.part("about-time").hidden = true;
    this.part("clock").hidden = false;
    this.part("controls").hidden = false;
    this.part("tools").hidden = false;
    this.root.querySelectorAll(".more-toggle").forEach((button) => {
      button.hidden = false;
    });
    this.setUpSound();
    this.listen();
    const leadIn = Number(this.root.dataset.leadIn ?? 5) * 1000;
    if (leadIn > 0) {
      this.phase = "lead-in";
      this.countdown = new Countdown(leadIn, now());
      this.part("lead-in").hidden = false;
      this.script = leadInScript({ seconds: leadIn / 1000, first: this.title(this.index) });
    } else {
      this.beginStep(this.index, now());
    }
    this.showStep();
    this.awake.keep();
    this.tick();
  }

  title(index) {
    return text(this.steps[index], ".step-title");
  }

  listen() {
    this.part("controls").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) this.act(button.dataset.action);
    });
    this.part("end").addEventListener("click", (event) => {
      event.preventDefault();
      this.askToEnd();
    });
    this.dialog.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button) this.answerEnd(button.dataset.action);
    });
    this.dialog.addEventListener("cancel", () => this.answerEnd("end-cancel")); // Escape in the dialog
    this.root.addEventListener("player:hold", ({ detail }) => {
      if (this.phase === "ended") return;
      if (detail.held) this.pauseFor(detail.question);
      else this.playOnAfter(detail.question);
    });
    this.root.addEventListener("click", (event) => {
      const more = event.target.closest(".more-toggle");
      if (more) this.toggleMore(more);
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
    const panel = this.part("sound");
    this.soundMode = loadSoundMode();
    panel.querySelector(`input[value="${this.soundMode}"]`).checked = true;
    this.detailed = loadSetting("detailed") === "1";
    this.part("detailed").checked = this.detailed;
    this.voice = loadSetting("voice") || "";
    this.rate = Number(loadSetting("rate")) || 1;
    const rate = this.part("rate");
    if ([...rate.options].some((option) => Number(option.value) === this.rate)) rate.value = String(this.rate);
    this.listVoices();
    if (typeof window.speechSynthesis?.addEventListener === "function") {
      speechSynthesis.addEventListener("voiceschanged", () => this.listVoices());
    }
    panel.addEventListener("change", (event) => {
      const { name, value, checked } = event.target;
      if (name === "sound") this.soundMode = value;
      if (name === "detailed") this.detailed = checked;
      if (name === "voice") this.voice = value;
      if (name === "rate") this.rate = Number(value);
      saveSetting(name, name === "detailed" ? (checked ? "1" : "0") : value);
      if (name !== "sound" && this.soundMode === "voice") say("This is how I sound.", this.voiceOptions());
      this.updateSoundHint();
    });
    this.updateSoundHint();
  }

  listVoices() {
    const select = this.part("voice");
    const lang = (document.documentElement.lang || "en").slice(0, 2);
    const known = new Set([...select.options].map((option) => option.value));
    for (const voice of voices().filter((option) => option.lang.startsWith(lang))) {
      if (!known.has(voice.voiceURI)) select.add(new Option(`${voice.name} (${voice.lang})`, voice.voiceURI));
    }
    select.value = [...select.options].some((option) => option.value === this.voice) ? this.voice : "";
  }

  voiceOptions() {
    return { voice: this.voice, rate: this.rate };
  }

  updateSoundHint() {
    this.part("sound-hint").hidden = this.soundMode === "silent" || soundAllowed();
    this.part("sound-state").textContent = SOUND_NAMES[this.soundMode];
  }

  onKey(event) {
    const action = KEY_ACTIONS[event.key];
    if (!action || event.repeat || event.altKey || event.ctrlKey || event.metaKey || this.phase === "ended") return;
    // Escape belongs to an open popover or the end dialog: it closes them.
    if (this.dialog.open || document.querySelector(":popover-open")) return;
    // Leave keys alone in form controls (the sound choice, anything the page adds), except
    // on the player's own buttons, where Space should still pause rather than press them.
    const target = event.target;
    const ownButton = target.closest && target.closest('[data-role="controls"] button');
    if (action !== "end" && !ownButton && target.closest?.("input, select, textarea, button, [contenteditable]")) return;
    event.preventDefault();
    this.act(action);
  }

  act(action) {
    const last = this.steps.length - 1;
    if (action === "pause") {
      this.pausedFor.clear(); // the person's own Pause or Resume outranks any question's
      this.togglePause();
    } else if (action === "next" && this.index < last) this.goTo(this.index + 1);
    else if (action === "previous" && this.index > 0) this.goTo(this.index - 1);
    else if (action === "finish") this.finish(this.leaveStep(now()));
    else if (action === "end") this.askToEnd();
  }

  askToEnd() {
    this.pauseFor("end");
    this.dialog.showModal();
  }

  pauseFor(question) {
    if (this.userPaused && !this.pausedFor.size) return; // the person paused it: it stays paused
    this.pausedFor.add(question);
    if (!this.userPaused) this.togglePause();
  }

  playOnAfter(question) {
    if (this.pausedFor.delete(question) && !this.pausedFor.size && this.userPaused) this.togglePause();
  }

  answerEnd(action) {
    if (action === "end-log") {
      this.dialog.close();
      this.finish(this.leaveStep(now()), { early: true });
    } else if (action === "end-leave") {
      this.phase = "ended";
      this.setState("ended");
      clearTimeout(this.timer);
      this.awake.letGo();
      location.assign(this.root.dataset.routineUrl);
    } else if (action === "end-cancel") {
      if (this.dialog.open) this.dialog.close();
      this.playOnAfter("end");
    }
  }

  toggleMore(button) {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? "Less" : "More";
    button.closest(".player-step").classList.toggle("more-open", open);
  }

  togglePause() {
    const at = now();
    this.userPaused = !this.userPaused;
    if (this.userPaused) {
      this.countdown.pause(at);
      this.awake.letGo();
      hush();
    } else {
      this.countdown.resume(at);
      this.awake.keep();
    }
    this.buttons.pause.textContent = this.userPaused ? "Resume" : "Pause";
    this.part("paused-label").hidden = !this.userPaused;
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
    hush();
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
    this.script = stepScript(this.stepWords(index));
  }

  stepWords(index) {
    const step = this.steps[index];
    const next = this.steps[index + 1];
    return {
      words: text(step, this.detailed ? ".step-instruction" : ".step-cue"),
      count: step.dataset.spokenCount,
      change: text(step, ".step-change"),
      halfway: step.dataset.halfway,
      seconds: this.durations[index] / 1000,
      next: next && `${this.title(index + 1)}. ${readyPhrase(next.dataset.needs || "")}`.trim().replace(/\.$/, ""),
    };
  }

  // Every time-up since the last reading, in order; after a long sleep that can be several.
  tick() {
    clearTimeout(this.timer);
    if (this.phase === "ended") return;
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
      if (this.soundMode !== "silent") chime();
    }
    if (!this.countdown.paused) this.speakDue(at);
    this.render(at);
    this.setState(this.userPaused ? "paused" : this.phase);
    if (!this.countdown.paused) {
      // Wake exactly when the shown second changes or the step ends, never on a fixed beat.
      const wait = this.countdown.remaining(at) % 1000 || 1000;
      this.timer = setTimeout(() => this.tick(), wait);
      this.root.dispatchEvent(new CustomEvent("player:tick", { bubbles: true, detail: { next: at + wait } }));
    }
  }

  speakDue(at) {
    const [due, rest] = dueLines(this.script, this.countdown.remaining(at));
    this.script = rest;
    if (this.soundMode !== "voice") return;
    for (const line of due) say(line.text, this.voiceOptions());
  }

  setState(state) {
    if (this.root.dataset.state === state) return;
    this.root.dataset.state = state;
    this.root.dispatchEvent(new CustomEvent("player:state", { bubbles: true, detail: { state } }));
  }

  showStep() {
    const count = this.steps.length;
    const last = this.index === count - 1;
    const focused = document.activeElement;
    const hadFocus = focused && focused !== document.body && this.root.contains(focused);
    this.steps.forEach((step, i) => {
      step.hidden = i !== this.index;
    });
    this.root.querySelectorAll(".more-toggle[aria-expanded='true']").forEach((button) => this.toggleMore(button));
    const current = this.steps[this.index];
    const position = `Step ${this.index + 1} of ${count}`;
    this.part("position").textContent = position;
    this.part("last-step").hidden = !last;
    document.title = document.title.replace(/^Step \d+ of \d+/, position);
    this.buttons.previous.hidden = this.index === 0;
    this.buttons.next.hidden = last;
    this.buttons.finish.hidden = !last;
    // Focus stays on a control that is still there; a control that went away hands it to the
    // one in its place (Next to Finish, Previous to Pause); focus inside the old step moves
    // to the new step's title, so a screen reader reads on from there.
    if (hadFocus && !(focused.checkVisibility?.() ?? focused.offsetParent !== null)) {
      if (focused === this.buttons.next) this.buttons.finish.focus();
      else if (focused === this.buttons.previous) this.buttons.pause.focus();
      else current.querySelector(".step-title").focus({ preventScroll: true });
    }
    // The new step in view, from its title, even if the person had scrolled to read.
    if (this.root.getBoundingClientRect().top < 0) this.root.scrollIntoView({ block: "start" });
    const title = this.title(this.index);
    this.announce(`${position}: ${title}`);
    // Once per step becoming current (the lead-in ending changes nothing the drawings show).
    if (this.announcedIndex !== this.index) {
      this.announcedIndex = this.index;
      this.root.dispatchEvent(
        new CustomEvent("player:step", {
          bubbles: true,
          detail: { number: this.index + 1, total: count, seconds: this.durations[this.index] / 1000, title },
        }),
      );
    }
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

  announce(words) {
    this.part("announce").textContent = words;
  }

  // To the finish screen with the time spent; "Well done" is said first, when the voice is on.
  finish(partialMs, { early = false } = {}) {
    this.phase = "ended";
    this.setState("ended");
    clearTimeout(this.timer);
    this.awake.letGo();
    const url = new URL(this.root.dataset.doneUrl, location.href);
    url.searchParams.set("spent", String(Math.round((this.spentMs + partialMs) / 1000)));
    if (early) url.searchParams.set("early", "1");
    const go = () => location.assign(url);
    const farewell = this.soundMode === "voice" && !early ? say("Well done.", this.voiceOptions()) : null;
    if (!farewell) return go();
    farewell.onend = go;
    setTimeout(go, FAREWELL_MS);
  }
}

export function play(root) {
  new Player(root).start();
}

const root = document.getElementById("player");
if (root) play(root);
const startForm = document.querySelector("form[data-player-start]");
if (startForm) startInPlace(startForm, play);
