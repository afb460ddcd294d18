// Events counted per whole second of the clock, for the last minute's picture. Pure.

/** Counts in whole-second buckets (epoch seconds), keeping `keep` seconds. */
export class PerSecond {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly keep = 60) {}

  add(atMs: number, n = 1): void {
    const s = Math.floor(atMs / 1000);
    this.buckets.set(s, (this.buckets.get(s) ?? 0) + n);
    for (const k of this.buckets.keys()) if (k <= s - this.keep - 1) this.buckets.delete(k);
  }

  /**
   * The last `seconds` whole seconds before the current (unfinished) one, oldest first: a second
   * with nothing in it is 0; seconds before `sinceMs` (nothing was counted yet) are null.
   */
  series(nowMs: number, sinceMs: number | null, seconds = this.keep): (number | null)[] {
    const current = Math.floor(nowMs / 1000);
    const first = sinceMs === null ? null : Math.floor(sinceMs / 1000);
    const out: (number | null)[] = [];
    for (let s = current - seconds; s < current; s++) out.push(first === null || s < first ? null : (this.buckets.get(s) ?? 0));
    return out;
  }
}
