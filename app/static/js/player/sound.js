// Chime and spoken cues. Browsers let a page make sound only after the person has tapped
// or pressed a key on it, so the Start press (which begins the player in place, without a
// page load) switches audio on; a step page opened directly waits for its first gesture,
// and cues before that are skipped quietly while the screen still guides.
let audio = null;

export function soundAllowed() {
  return navigator.userActivation ? navigator.userActivation.hasBeenActive : audio !== null;
}

// Call from inside a click or keydown handler.
export function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    audio ??= new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch {
    audio = null; // no audio device: stay silent
  }
}

// Two soft sine notes that fade out: noticeable from across the room, never harsh.
export function chime() {
  if (!audio || audio.state !== "running") return;
  const start = audio.currentTime;
  [660, 880].forEach((frequency, i) => {
    const at = start + i * 0.18;
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    tone.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.7);
    tone.connect(gain).connect(audio.destination);
    tone.start(at);
    tone.stop(at + 0.75);
  });
}

const speech = () => ("speechSynthesis" in window ? window.speechSynthesis : null);

// The voices this browser offers (often filled in a moment after the page loads).
export function voices() {
  const synth = speech();
  return synth && typeof synth.getVoices === "function" ? synth.getVoices() : [];
}

// Queue a spoken line after any still being said; `voice` is a voiceURI ("" for the default).
// Returns the utterance, or null when nothing will be said.
export function say(text, { voice = "", rate = 1 } = {}) {
  const synth = speech();
  if (!synth || !text || !soundAllowed()) return null;
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = document.documentElement.lang || "en";
  utterance.rate = rate;
  const chosen = voice && voices().find((option) => option.voiceURI === voice);
  if (chosen) utterance.voice = chosen;
  utterance.onerror = () => {}; // no voice installed, or speech refused: the chime and screen remain
  synth.speak(utterance);
  return utterance;
}

// Drop whatever is queued: the step moved on, or the person paused.
export function hush() {
  const synth = speech();
  if (synth) synth.cancel();
}

// "oil", "serum moisturiser" -> "Have your serum and moisturiser ready."
export function readyPhrase(needs) {
  const items = needs.split(" ").filter(Boolean).map((need) => need.replace("-", " "));
  if (!items.length) return "";
  const list = items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items[0];
  return `Have your ${list} ready.`;
}
