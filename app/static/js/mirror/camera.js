// The front camera, on this device only: frames go to the video element and the model in this
// document, and nowhere else. Nothing is recorded or kept.
const LIGHT_SAMPLE = [24, 18]; // a tiny copy of the picture, enough for its mean brightness

export class Camera {
  constructor(video) {
    this.video = video;
    this.stream = null;
    this.sampler = null;
  }

  async start() {
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: "user", width: { ideal: 640 }, height: { ideal: 480 } },
    });
    this.video.srcObject = this.stream;
    await this.video.play();
  }

  // Ends every track: the camera light goes off and the browser shows it no longer in use.
  stop() {
    if (this.stream) this.stream.getTracks().forEach((track) => track.stop());
    this.stream = null;
    this.video.srcObject = null;
  }

  liveTracks() {
    return this.stream ? this.stream.getTracks().filter((track) => track.readyState === "live").length : 0;
  }

  ready() {
    return this.video.readyState >= 2 && this.video.videoWidth > 0;
  }

  // Mean luma (0-255) of the current picture, read from a 24 x 18 copy that is then dropped.
  brightness() {
    if (!this.ready()) return null;
    if (!this.sampler) {
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = LIGHT_SAMPLE;
      this.sampler = canvas.getContext("2d", { willReadFrequently: true });
    }
    const [width, height] = LIGHT_SAMPLE;
    this.sampler.drawImage(this.video, 0, 0, width, height);
    const pixels = this.sampler.getImageData(0, 0, width, height).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += 0.299 * pixels[i] + 0.587 * pixels[i + 1] + 0.114 * pixels[i + 2];
    this.sampler.clearRect(0, 0, width, height);
    return sum / (width * height);
  }
}

// Why the camera did not start, in the person's words.
export function cameraTrouble(error) {
  const name = error && error.name;
  if (name === "NotAllowedError" || name === "SecurityError") {
    return ["denied", "The camera wasn't allowed, so here's the drawing. You can allow it in your browser's settings for this site."];
  }
  if (name === "NotFoundError" || name === "OverconstrainedError") {
    return ["missing", "No camera was found, so here's the drawing."];
  }
  return ["error", "The camera couldn't start, so here's the drawing."];
}
