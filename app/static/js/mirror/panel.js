// Mirror mode, on the player page: the Mirror button, a word before the browser asks for the
// camera, and the frame that holds the camera and the model (app/mirror/__init__.py says why it
// is a frame). This page only reads the current step's drawing (the data-part marks of the
// drawing contract) and tells the frame; no picture ever reaches this page.
const MIRROR_KEY = "glowstep.mirror"; // "on" once the person agreed, "off" when switched off
// What the frame's statuses show (mirror.css lays the page out by it): the camera picture large,
// with the drawing beside it or inset; the picture small while the drawing leads (no face for a
// while, a long pause, a step the mirror can't place); or no picture, when the camera can't run.
const LARGE = new Set(["starting", "live", "searching", "centre", "light"]);
const NO_CAMERA = new Set(["denied", "missing", "error", "unsupported"]);
// Geometry the frame redraws; nothing else of the page's markup crosses over.
const GEOMETRY = ["d", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height", "points", "transform"];

function remembered() {
  try {
    return localStorage.getItem(MIRROR_KEY) === "on";
  } catch {
    return false; // storage blocked: off, as by default
  }
}

function remember(on) {
  try {
    localStorage.setItem(MIRROR_KEY, on ? "on" : "off");
  } catch {
    // Storage blocked: the choice holds for this page.
  }
}

function cameraSupported() {
  return Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.WebAssembly);
}

class MirrorPanel {
  constructor(root, player) {
    this.root = root;
    this.player = player;
    this.part = (role) => root.querySelector(`[data-role="mirror-${role}"]`);
    this.placements = JSON.parse(this.part("placements").textContent);
    this.frame = null;
    this.styles = null;
  }

  start() {
    this.root.hidden = false;
    this.part("toggle").addEventListener("click", () => (this.isOn() ? this.switchOff() : this.ask()));
    this.part("agree").addEventListener("click", () => this.switchOn());
    this.part("cancel").addEventListener("click", () => this.closeAsk());
    this.player.addEventListener("player:step", () => this.send(this.currentStep()));
    this.player.addEventListener("player:state", (event) => this.send({ type: "state", state: event.detail.state }));
    this.player.addEventListener("player:tick", (event) => this.send({ type: "tick", next: event.detail.next }));
    window.addEventListener("message", (event) => this.onMessage(event));
    window.addEventListener("pagehide", () => this.send({ type: "stop" }));
    // Back to a player kept in the browser's back-forward cache: the camera it stopped comes back.
    window.addEventListener("pageshow", (event) => event.persisted && this.isOn() && this.send({ type: "start" }));
    if (remembered()) this.switchOn();
  }

  isOn() {
    return this.part("toggle").getAttribute("aria-pressed") === "true";
  }

  // The mirror's styles, loaded once, when it is first asked for: most people never switch it on,
  // so the player's first load doesn't carry them. Shown unstyled if they fail: still usable.
  styled() {
    this.styles ||= new Promise((resolve) => {
      const link = Object.assign(document.createElement("link"), { rel: "stylesheet", href: this.root.dataset.stylesheet });
      link.addEventListener("load", resolve);
      link.addEventListener("error", resolve);
      document.head.append(link);
    });
    return this.styles;
  }

  // The player waits while the person reads the question, so no step moves on unseen; it plays
  // on with the answer, yes or no. Pause and Resume on the player still work meanwhile.
  hold(held) {
    this.player.dispatchEvent(new CustomEvent("player:hold", { detail: { question: "camera", held } }));
  }

  async ask() {
    await this.styled();
    this.hold(true);
    this.part("consent").hidden = false;
    this.part("agree").focus();
  }

  closeAsk() {
    this.part("consent").hidden = true;
    this.part("toggle").focus();
    this.hold(false);
  }

  async switchOn() {
    if (!this.part("consent").hidden) this.hold(false);
    this.part("consent").hidden = true;
    this.part("toggle").setAttribute("aria-pressed", "true");
    await this.styled();
    if (!this.isOn()) return; // switched off again while the styles came
    if (!cameraSupported()) {
      this.giveUp("unsupported", "This browser can't show the mirror, so the drawing stays as usual.");
      return;
    }
    remember(true);
    this.part("view").hidden = false;
    this.show("starting", "Starting the mirror…");
    if (this.frame) {
      this.send({ type: "start" });
      this.send(this.currentStep());
      return;
    }
    this.frame = document.createElement("iframe");
    this.frame.className = "mirror-frame";
    this.frame.title = "Mirror: your camera picture with the step drawn on it";
    this.frame.allow = "camera";
    this.frame.src = this.root.dataset.frameUrl;
    this.frame.addEventListener("load", () => {
      this.send(this.currentStep());
      this.send({ type: "state", state: this.player.dataset.state || "idle" });
      this.send({ type: "start" });
    });
    this.part("view").append(this.frame);
  }

  switchOff() {
    this.giveUp("off", "");
  }

  // Off, with the reason in the status line if the camera could not run. The frame stays, its
  // camera stopped and model closed, so switching on again is quick; the next visit doesn't ask
  // a camera that was refused or missing again by itself.
  giveUp(status, message) {
    this.part("toggle").setAttribute("aria-pressed", "false");
    remember(false);
    this.send({ type: "stop" });
    this.part("view").hidden = true;
    this.show(status, message);
  }

  // The current step's drawing as the frame needs it: view, placement and marked parts.
  currentStep() {
    const steps = [...this.player.querySelectorAll(".player-step")];
    const step = steps.find((element) => !element.hidden) || steps[0];
    const svg = step && step.querySelector("svg[data-view]");
    const parts = svg
      ? [...svg.querySelectorAll("[data-part]")].map((element) => ({
          part: element.dataset.part,
          order: Number(element.dataset.order || 0),
          tag: element.localName,
          attrs: Object.fromEntries(GEOMETRY.filter((name) => element.hasAttribute(name)).map((name) => [name, element.getAttribute(name)])),
        }))
      : [];
    return {
      type: "step",
      view: svg ? svg.dataset.view : "",
      motion: svg ? svg.dataset.motion || "" : "",
      placement: this.placements[steps.indexOf(step)] || "drawing-only",
      parts,
    };
  }

  send(message) {
    if (this.frame && this.frame.contentWindow) this.frame.contentWindow.postMessage(message, location.origin);
  }

  onMessage(event) {
    if (event.origin !== location.origin || !this.frame || event.source !== this.frame.contentWindow) return;
    if (!event.data || event.data.type !== "status" || !this.isOn()) return;
    const { status, message } = event.data;
    if (NO_CAMERA.has(status)) this.giveUp(status, message);
    else this.show(status, message);
  }

  show(status, message) {
    this.root.dataset.mirror = status;
    this.root.dataset.picture = this.part("view").hidden ? "none" : LARGE.has(status) ? "large" : "small";
    this.part("status").textContent = message;
  }
}

const player = document.getElementById("player");
const root = document.querySelector("[data-role='mirror']");
if (player && root) new MirrorPanel(root, player).start();
