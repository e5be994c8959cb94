// Keep the screen on while a routine plays, where the browser has Screen Wake Lock.
// The browser drops the lock whenever the tab is hidden, so it is asked for again on return.
export class ScreenAwake {
  constructor() {
    this.wanted = false;
    this.lock = null;
    this.asking = false;
    document.addEventListener("visibilitychange", () => {
      if (this.wanted && document.visibilityState === "visible") this.request();
    });
  }

  keep() {
    this.wanted = true;
    this.request();
  }

  letGo() {
    this.wanted = false;
    this.release();
  }

  async request() {
    if (!("wakeLock" in navigator) || this.lock || this.asking) return;
    this.asking = true;
    try {
      this.lock = await navigator.wakeLock.request("screen");
      this.lock.addEventListener("release", () => {
        this.lock = null;
      });
    } catch {
      // Refused (battery saver, hidden tab, policy): the player works, the screen may dim.
    } finally {
      this.asking = false;
    }
    if (!this.wanted) this.release(); // paused while the request was in flight
  }

  release() {
    const lock = this.lock;
    this.lock = null;
    if (lock) lock.release().catch(() => {});
  }
}
