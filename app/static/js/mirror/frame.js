// The mirror frame: camera, MediaPipe Face Mesh (vendored, served from our origin) and the
// overlay. It runs in its own document because the model needs 'unsafe-eval' (app/mirror).
// The player page sends the current step's drawing and the player's state; this frame answers
// with its status. Landmarks live in memory for one detection and are never stored or sent.
import { Camera, cameraTrouble } from "./camera.js";
import { FITS, apply, approach, box } from "./fit.js";
import { Overlay } from "./overlay.js";

const config = JSON.parse(document.getElementById("mirror-config").textContent);
const NO_FACE_FALLBACK_MS = 10_000; // hands cover the face during the moves: wait before giving up
const RATE_WINDOW_MS = 10_000; // detections per second are counted over this window
// A detection holds the page's thread, which the player's clock shares (same-origin frames run
// on one thread): one is started only if it should end this long before the clock's next tick,
// judged by the longest of the last few, else just after the tick. The model's first detection
// sets it up (seconds here) and is not judged: no later one comes near it.
const TICK_CLEARANCE_MS = 20;
const HOLDS_JUDGED = 5;
const FIRST_HOLD_MS = 400; // until a detection was timed
const GLIDE_MS = 90; // between detections the drawing eases to the newest pose with this time constant
const LIGHT_EVERY_MS = 1000;
const TOO_DARK = 55; // mean luma out of 255
const MESSAGES = {
  starting: "Starting the mirror…",
  unsupported: "This browser can't run the mirror, so here's the drawing.",
  "drawing-only": "Drawing only for this step: the mirror can't place it on your face.",
  searching: "Looking for your face…",
  fallback: "We can't see your face, so here's the drawing. The mirror comes back by itself when it sees you.",
  paused: "The camera is off while you pause.",
  centre: "Centre your face in the picture.",
  light: "More light, please.",
};
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

class Mirror {
  constructor() {
    this.part = (role) => document.querySelector(`[data-role="${role}"]`);
    this.camera = new Camera(this.part("video"));
    this.overlay = new Overlay(this.part("overlay"));
    this.debug = this.part("debug");
    this.step = { placement: "drawing-only", parts: [] };
    this.state = "idle";
    this.stepMs = 0; // the step's animation time, stopped while paused
    this.model = null;
    this.enabled = false; // switched on by the player page, until switched off
    this.running = false; // the camera is on
    this.count = 0;
    this.nextTick = 0; // Date.now() time of the player's next clock tick (in the past once it has come)
    this.holds = null; // how long the last few detections held the thread, ms; null before the first
    this.reset();
  }

  reset() {
    this.target = null; // newest fitted matrix
    this.shown = null; // matrix drawn now, easing towards the target
    this.faceBox = null;
    this.noFaceMs = 0;
    this.lastResultAt = null;
    this.detections = [];
    this.sends = []; // [start, milliseconds] of each detection: how long it held the page's thread
    this.lightAt = 0;
  }

  listen() {
    window.addEventListener("message", (event) => {
      if (event.origin !== location.origin || event.source !== window.parent || !event.data) return;
      const { type } = event.data;
      if (type === "step") this.showStep(event.data);
      else if (type === "state") this.setState(event.data.state);
      else if (type === "tick") this.nextTick = event.data.next;
      else if (type === "start") this.switchOn();
      else if (type === "stop") this.switchOff();
    });
    window.addEventListener("pagehide", () => this.switchOff());
  }

  switchOn() {
    this.enabled = true;
    this.start();
  }

  switchOff() {
    this.enabled = false;
    this.stop({ closeModel: true });
  }

  async start() {
    if (this.running || !this.enabled) return;
    if (!window.FaceMesh || !config.model) {
      this.report("unsupported");
      return;
    }
    this.running = true;
    this.reset();
    this.report("starting");
    try {
      await this.camera.start();
    } catch (error) {
      this.running = false;
      const [status, message] = cameraTrouble(error);
      this.report(status, message);
      return;
    }
    if (!this.running) {
      this.camera.stop(); // switched off while the browser asked
      return;
    }
    this.overlay.fit(this.camera.video.videoWidth, this.camera.video.videoHeight);
    try {
      await this.loadModel();
    } catch {
      this.fail(); // the model would not start here (no WebGL, too little memory)
      return;
    }
    this.detect();
    requestAnimationFrame((at) => this.render(at, at));
  }

  async loadModel() {
    if (this.model) return;
    this.model = new window.FaceMesh({ locateFile: (file) => config.model + file });
    this.holds = null; // a new model: its first detection sets it up and is not judged
    this.model.setOptions({ maxNumFaces: 1, refineLandmarks: false, minDetectionConfidence: 0.5, minTrackingConfidence: 0.5 });
    this.model.onResults((results) => this.onResults(results));
    await this.model.initialize();
  }

  fail() {
    this.stop({ closeModel: true });
    this.report("unsupported");
  }

  stop({ closeModel }) {
    this.running = false;
    clearTimeout(this.pauseTimer);
    this.camera.stop();
    this.updateDebug();
    if (closeModel && this.model) {
      const model = this.model;
      this.model = null;
      model.close().catch(() => {}); // a model that failed may fail to close too: it is dropped either way
    }
  }

  // One detection at a time, each after the last, none across the player's clock tick; a timeout
  // between them lets the clock and the page's input run.
  async detect() {
    while (this.running && this.model) {
      const wait = this.clearOfTick();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
        continue;
      }
      if (this.camera.ready()) {
        const began = performance.now();
        try {
          await this.model.send({ image: this.camera.video });
        } catch {
          // Closed while it ran (switched off), or the model failed: then the camera stops too.
          if (this.running) this.fail();
          return;
        }
        const held = performance.now() - began;
        this.sends.push([began, held]);
        this.holds = this.holds ? [...this.holds, held].slice(-HOLDS_JUDGED) : [];
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }

  // Milliseconds to wait before the next detection: until just after the clock's next tick if a
  // detection started now might still hold the thread then, else 0.
  clearOfTick() {
    const until = this.nextTick - Date.now();
    if (until <= 0 || this.state === "paused") return 0;
    const hold = this.holds && this.holds.length ? Math.max(...this.holds) : FIRST_HOLD_MS;
    // A detection longer than a tick's gap can never fit: then it runs as it comes.
    if (hold + TICK_CLEARANCE_MS >= 1000) return 0;
    return until < hold + TICK_CLEARANCE_MS ? until + TICK_CLEARANCE_MS : 0;
  }

  showStep(step) {
    this.step = step;
    const placed = step.view === "front" && step.placement in config.fits && step.parts.some((p) => p.part === "zone");
    this.fit = placed ? config.fits[step.placement] : null;
    this.overlay.draw(placed ? step.parts : []);
    this.stepMs = 0;
    this.target = null;
    this.shown = null;
  }

  setState(state) {
    this.state = state;
    document.body.dataset.state = state;
    clearTimeout(this.pauseTimer);
    if (state === "paused") {
      this.pauseTimer = setTimeout(() => {
        this.stop({ closeModel: false });
        this.report("paused");
      }, config.pauseOffMs); // a long pause turns the camera off (MIRROR_PAUSE_OFF_SECONDS)
    } else if (this.enabled && !this.running && this.lastStatus === "paused") {
      this.start();
    }
  }

  onResults(results) {
    if (!this.running) return;
    const now = performance.now();
    this.count += 1;
    this.detections.push(now);
    while (this.detections[0] < now - RATE_WINDOW_MS) this.detections.shift();
    while (this.sends.length && this.sends[0][0] < now - RATE_WINDOW_MS) this.sends.shift();
    const face = results.multiFaceLandmarks && results.multiFaceLandmarks[0];
    const since = this.lastResultAt === null ? 0 : now - this.lastResultAt;
    this.lastResultAt = now;
    if (face) this.seeFace(face);
    else if (this.state === "playing") this.noFaceMs += since; // only a running step's time counts
    document.body.dataset.face = face ? "yes" : this.target ? "lost" : "no";
    if (now - this.lightAt > LIGHT_EVERY_MS) {
      this.lightAt = now;
      const light = this.camera.brightness();
      this.dark = light !== null && light < TOO_DARK;
    }
    this.report(this.status(Boolean(face)));
    this.updateDebug();
  }

  seeFace(face) {
    const { videoWidth: width, videoHeight: height } = this.camera.video;
    // The picture is shown mirrored, so x is mirrored too: the person's left is on the left.
    const point = (index) => [(1 - face[index].x) * width, face[index].y * height];
    const [x0, y0, x1, y1] = box(face.map((_, index) => point(index)));
    this.faceBox = [x0 / width, y0 / height, x1 / width, y1 / height];
    this.noFaceMs = 0;
    if (this.fit) {
      const matrix = FITS[this.fit.transform](this.fit.points, this.fit.points.map((anchor) => point(anchor[2])));
      if (matrix) this.target = matrix;
    }
  }

  status(face) {
    if (!this.fit) return "drawing-only";
    if (this.noFaceMs > NO_FACE_FALLBACK_MS) return "fallback";
    if (this.dark) return "light";
    if (!face) return "searching";
    const [x0, y0, x1, y1] = this.faceBox;
    const off = Math.abs((x0 + x1) / 2 - 0.5) > 0.2 || Math.abs((y0 + y1) / 2 - 0.5) > 0.25 || x1 - x0 < 0.15;
    return off ? "centre" : "live";
  }

  report(status, message = MESSAGES[status] || "") {
    document.body.dataset.status = status;
    if (status === this.lastStatus && message === this.lastMessage) return;
    [this.lastStatus, this.lastMessage] = [status, message];
    window.parent.postMessage({ type: "status", status, message }, location.origin);
    this.updateDebug();
  }

  // The display's own rate: the drawing eases to the newest pose, the strokes keep their pace.
  render(at, before) {
    if (!this.running) return;
    const dt = at - before;
    if (this.target) {
      this.shown = this.shown ? approach(this.shown, this.target, 1 - Math.exp(-dt / GLIDE_MS)) : this.target;
      this.overlay.place(this.shown);
    }
    if (this.state !== "paused") this.stepMs += dt;
    this.overlay.animate(this.stepMs, reducedMotion.matches);
    requestAnimationFrame((next) => this.render(next, at));
  }

  updateDebug() {
    const times = this.detections;
    const span = times.length > 1 ? (times[times.length - 1] - times[0]) / 1000 : 0;
    const rounded = (values) => values.map((value) => value.toFixed(3)).join(" ");
    const { videoWidth: width, videoHeight: height } = this.camera.video;
    const zone = this.target && this.overlay.zonePoints.length
      ? box(this.overlay.zonePoints.map((point) => apply(this.target, point)))
      : null;
    Object.assign(this.debug.dataset, {
      detections: String(this.count),
      fps: span ? ((times.length - 1) / span).toFixed(1) : "0",
      longestMs: String(Math.round(Math.max(0, ...this.sends.map(([, ms]) => ms)))),
      status: this.lastStatus || "",
      tracks: String(this.camera.liveTracks()),
      faceBox: this.faceBox ? rounded(this.faceBox) : "",
      zoneBox: zone && width ? rounded([zone[0] / width, zone[1] / height, zone[2] / width, zone[3] / height]) : "",
    });
  }
}

const mirror = new Mirror();
mirror.listen();
