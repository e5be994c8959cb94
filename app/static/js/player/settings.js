// Settings stay on this device: nothing to sign in for, nothing sent anywhere.
const KEYS = {
  sound: "glowstep.sound", // silent | chime | voice
  detailed: "glowstep.voice-detail", // "1": read the full instruction instead of the cue
  voice: "glowstep.voice", // a SpeechSynthesisVoice's voiceURI; empty: the browser's default
  rate: "glowstep.voice-rate",
};
export const SOUND_MODES = ["silent", "chime", "voice"];

// The saved value, or null when none was saved (or storage is blocked).
export function loadSetting(name) {
  try {
    return localStorage.getItem(KEYS[name]);
  } catch {
    return null;
  }
}

export function saveSetting(name, value) {
  try {
    localStorage.setItem(KEYS[name], value);
  } catch {
    // Storage blocked or full: the choice still holds for this page.
  }
}

// The voice coach is on unless the person chose otherwise (issue 15: a saved choice wins).
export function loadSoundMode() {
  const mode = loadSetting("sound");
  return SOUND_MODES.includes(mode) ? mode : "voice";
}
