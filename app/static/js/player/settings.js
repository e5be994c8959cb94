// Settings stay on this device: nothing to sign in for, nothing sent anywhere.
const SOUND_KEY = "glowstep.sound";
const SOUND_MODES = ["silent", "chime", "voice"];

export function loadSoundMode(fallback) {
  try {
    const mode = localStorage.getItem(SOUND_KEY);
    return SOUND_MODES.includes(mode) ? mode : fallback;
  } catch {
    return fallback; // storage blocked: the default is fine
  }
}

export function saveSoundMode(mode) {
  try {
    localStorage.setItem(SOUND_KEY, mode);
  } catch {
    // Storage blocked or full: the choice still holds for this page.
  }
}
