// The step's drawing redrawn over the camera picture: zone, strokes animated from their start in
// the order they are done, the start dot and today's areas to avoid, hatched. Drawn in the front
// drawing's coordinates inside one group whose matrix places it on the face.
const SVG_NS = "http://www.w3.org/2000/svg";
const STROKE_MS = 2500; // one stroke's pace: slow and light, as the routines ask
const REST_MS = 800; // a breath before the strokes start again
const LAYERS = ["zone", "avoid", "stroke", "start"];
const SAMPLES = 24; // points along each zone outline, for its box on the picture

export class Overlay {
  constructor(svg) {
    this.svg = svg;
    this.pose = svg.querySelector("[data-role='pose']");
    this.strokes = [];
    this.zonePoints = [];
    this.cycleMs = 0;
  }

  fit(width, height) {
    this.svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    this.svg.setAttribute("preserveAspectRatio", "xMidYMid slice"); // as the video's object-fit: cover
  }

  // parts: [{part, order, tag, attrs}] from the player page (mirror/panel.js).
  draw(parts) {
    this.pose.replaceChildren();
    const sorted = [...parts].sort((a, b) => LAYERS.indexOf(a.part) - LAYERS.indexOf(b.part) || a.order - b.order);
    const elements = sorted.filter((p) => LAYERS.includes(p.part)).map((p) => this.add(p));
    const zones = elements.filter((element) => element.dataset.part === "zone");
    this.zonePoints = zones.flatMap((element) => {
      const length = element.getTotalLength();
      return Array.from({ length: SAMPLES + 1 }, (_, i) => {
        const point = element.getPointAtLength((length * i) / SAMPLES);
        return [point.x, point.y];
      });
    });
    const orders = [...new Set(sorted.filter((p) => p.part === "stroke").map((p) => p.order))].sort((a, b) => a - b);
    this.strokes = elements
      .filter((element) => element.dataset.part === "stroke")
      .map((element) => ({ element, slot: orders.indexOf(Number(element.dataset.order)), length: element.getTotalLength(), tip: this.tip() }));
    this.cycleMs = orders.length * STROKE_MS + REST_MS;
  }

  add({ part, order, tag, attrs }) {
    const element = document.createElementNS(SVG_NS, tag);
    Object.entries(attrs).forEach(([name, value]) => element.setAttribute(name, value));
    element.dataset.part = part;
    element.dataset.order = String(order);
    element.classList.add(`overlay-${part}`);
    if (part === "stroke") element.setAttribute("pathLength", "1");
    this.pose.append(element);
    return element;
  }

  tip() {
    const dot = document.createElementNS(SVG_NS, "circle");
    dot.setAttribute("r", "3");
    dot.classList.add("overlay-tip");
    this.pose.append(dot);
    return dot;
  }

  place(matrix) {
    this.pose.setAttribute("transform", `matrix(${matrix.map((value) => value.toFixed(4)).join(" ")})`);
  }

  // Each stroke grows from its start to its end over STROKE_MS, in order, a dot leading it.
  animate(elapsedMs, still) {
    const t = this.cycleMs ? elapsedMs % this.cycleMs : 0;
    for (const { element, slot, length, tip } of this.strokes) {
      const share = still ? 1 : Math.min(1, Math.max(0, (t - slot * STROKE_MS) / STROKE_MS));
      element.style.strokeDashoffset = String(1 - share);
      const point = element.getPointAtLength(length * share);
      tip.setAttribute("cx", String(point.x));
      tip.setAttribute("cy", String(point.y));
      tip.classList.toggle("resting", share === 0 || share === 1);
    }
  }
}
