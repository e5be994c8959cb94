// Countdowns computed from clock readings, never from counting ticks, so the time shown is
// right even after the tab was throttled in the background or the device slept.

// Date.now() rather than performance.now(): on some systems the monotonic clock behind
// performance.now() stops while the device sleeps, and then the routine would run late.
export const now = () => Date.now();

export class Countdown {
  constructor(durationMs, startedAt) {
    this.durationMs = durationMs;
    this.startedAt = startedAt;
    this.pausedTotal = 0;
    this.pausedAt = null;
  }

  get paused() {
    return this.pausedAt !== null;
  }

  elapsed(at) {
    const pausedNow = this.paused ? at - this.pausedAt : 0;
    return Math.min(this.durationMs, Math.max(0, at - this.startedAt - this.pausedTotal - pausedNow));
  }

  remaining(at) {
    return this.durationMs - this.elapsed(at);
  }

  // When a running countdown reaches zero: the next one starts exactly here, not when a
  // late timer noticed, so no time leaks between steps.
  endsAt() {
    return this.startedAt + this.pausedTotal + this.durationMs;
  }

  pause(at) {
    if (!this.paused) this.pausedAt = at;
  }

  resume(at) {
    if (!this.paused) return;
    this.pausedTotal += at - this.pausedAt;
    this.pausedAt = null;
  }
}

// The same wording as the server's duration macro, so nothing jumps when the script takes over.
export function formatDuration(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (!minutes) return `${rest} s`;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

export function formatClock(seconds) {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
