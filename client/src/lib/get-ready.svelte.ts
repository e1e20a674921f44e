/**
 * A question's "get ready" on this device: counted from when its view arrived (`readyMs`), so a phone's or a
 * projector's wrong clock does not matter. Create it while a component initialises; `readyMs` is read reactively,
 * so a new view (time added, a reload) restarts the count.
 */
export class GetReady {
  msLeft = $state(0);

  constructor(readyMs: () => number | undefined) {
    this.msLeft = readyMs() ?? 0;
    $effect(() => {
      const until = Date.now() + (readyMs() ?? 0);
      let timer: ReturnType<typeof setInterval> | undefined;
      // A local, never this.msLeft read back: reading it here would make the effect restart the count on every tick.
      const tick = () => {
        const left = Math.max(0, until - Date.now());
        this.msLeft = left;
        if (left === 0 && timer) clearInterval(timer);
        return left;
      };
      if (tick() > 0) timer = setInterval(tick, 100);
      return () => clearInterval(timer);
    });
  }

  /** Options still hidden, answers not yet taken. */
  get active(): boolean {
    return this.msLeft > 0;
  }

  /** Whole seconds left: 3, 2, 1. */
  get seconds(): number {
    return Math.ceil(this.msLeft / 1000);
  }
}
