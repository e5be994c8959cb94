// Chime and spoken cues. Browsers let a page make sound only after the person has tapped
// or pressed a key on it, and that permission does not survive the navigation from the
// start screen, so audio is switched on at the first gesture here; cues before that are
// skipped quietly and the screen still guides.
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

export function say(text) {
  if (!("speechSynthesis" in window) || !soundAllowed()) return;
  speechSynthesis.cancel();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = document.documentElement.lang || "en";
  utterance.onerror = () => {}; // no voice installed, or speech refused: the chime and screen remain
  speechSynthesis.speak(utterance);
}

// "oil", "serum moisturiser" -> "Have your serum and moisturiser ready."
export function readyPhrase(needs) {
  const items = needs.split(" ").filter(Boolean).map((need) => need.replace("-", " "));
  if (!items.length) return "";
  const list = items.length > 1 ? `${items.slice(0, -1).join(", ")} and ${items.at(-1)}` : items[0];
  return `Have your ${list} ready.`;
}
