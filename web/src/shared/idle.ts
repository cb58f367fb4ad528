// Sign out after a period without user activity, warning first. Timings and clock are injectable so tests
// can drive it with fake timers. Time is measured from timestamps, so a laptop waking from sleep is handled.

export const IDLE_WARN_AFTER_MS = 13 * 60_000;
export const IDLE_SIGN_OUT_AFTER_MS = 15 * 60_000;

export interface IdleOptions {
  warnAfterMs?: number;
  signOutAfterMs?: number;
  now?: () => number;
  /** When the person was last active (e.g. restored after a reload); defaults to now. */
  lastActivity?: number;
  /** The warning is due; `deadline` is the epoch ms at which the session will end. */
  onWarn: (deadline: number) => void;
  onTimeout: () => void;
}

export class IdleTimer {
  readonly warnAfterMs: number;
  readonly signOutAfterMs: number;
  private readonly now: () => number;
  private readonly onWarn: (deadline: number) => void;
  private readonly onTimeout: () => void;
  private last: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private warned = false;
  private running = false;

  constructor(options: IdleOptions) {
    this.warnAfterMs = options.warnAfterMs ?? IDLE_WARN_AFTER_MS;
    this.signOutAfterMs = options.signOutAfterMs ?? IDLE_SIGN_OUT_AFTER_MS;
    this.now = options.now ?? (() => Date.now());
    this.onWarn = options.onWarn;
    this.onTimeout = options.onTimeout;
    this.last = options.lastActivity ?? this.now();
  }

  get warning(): boolean {
    return this.warned;
  }

  get lastActivity(): number {
    return this.last;
  }

  /** Epoch ms at which the session ends if nothing else happens. */
  get deadline(): number {
    return this.last + this.signOutAfterMs;
  }

  start(): void {
    this.running = true;
    this.check();
  }

  stop(): void {
    this.running = false;
    this.warned = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Ordinary activity (a key, a click, a scroll). Once the warning shows, only an explicit
   * "Stay signed in" counts, so a stray mouse move can't silently keep an unattended session open.
   */
  activity(): void {
    if (!this.running || this.warned) return;
    this.last = this.now();
  }

  /** The person chose to stay signed in. */
  stayActive(): void {
    this.warned = false;
    this.last = this.now();
    if (this.running) this.check();
  }

  /** Re-evaluate now (e.g. when the tab becomes visible again after sleep). */
  check(): void {
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const idleFor = this.now() - this.last;
    if (idleFor >= this.signOutAfterMs) {
      this.stop();
      this.onTimeout();
      return;
    }
    if (idleFor >= this.warnAfterMs) {
      if (!this.warned) {
        this.warned = true;
        this.onWarn(this.deadline);
      }
      this.schedule(this.signOutAfterMs - idleFor);
      return;
    }
    this.schedule(this.warnAfterMs - idleFor);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.check();
    }, Math.max(0, ms));
  }
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'input'] as const;

/** Feed DOM activity into the timer. Returns a function that unbinds everything. */
export function bindActivity(timer: IdleTimer, target: Window = window): () => void {
  const onActivity = () => timer.activity();
  let lastMove = 0;
  const onMove = () => {
    const t = Date.now();
    if (t - lastMove > 5_000) {
      lastMove = t;
      timer.activity();
    }
  };
  const onVisible = () => {
    if (target.document.visibilityState === 'visible') timer.check();
  };
  for (const name of ACTIVITY_EVENTS) target.addEventListener(name, onActivity, { passive: true, capture: true });
  target.addEventListener('scroll', onMove, { passive: true, capture: true });
  target.addEventListener('mousemove', onMove, { passive: true });
  target.document.addEventListener('visibilitychange', onVisible);
  return () => {
    for (const name of ACTIVITY_EVENTS) target.removeEventListener(name, onActivity, { capture: true });
    target.removeEventListener('scroll', onMove, { capture: true });
    target.removeEventListener('mousemove', onMove);
    target.document.removeEventListener('visibilitychange', onVisible);
  };
}

/** "1:59" style countdown text for the remaining milliseconds. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${seconds.toString().padStart(2, '0')}`;
}
