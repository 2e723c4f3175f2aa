import type { Db } from "../store/index.js";
import { runScoring } from "./run.js";
import { activeScorecard } from "./scorecards.js";

export interface FreshScoresOptions {
  /** Wait this long after the last ingest before scoring (collects bursts into one run). */
  debounceMs?: number;
  /** …but never longer than this after the first unscored ingest. */
  maxWaitMs?: number;
  clock?: () => Date;
  onError?: (err: unknown) => void;
  /** Runs after each batch is scored (e.g. the churn model's predictions for those accounts). */
  afterRun?: (accounts: readonly string[]) => Promise<void>;
}

/**
 * Keeps current scores fresh: after an ingest touches accounts, their current
 * scores are recomputed shortly after, debounced and batched, one run at a
 * time. `latencies` records, per run, the time from the first touch to the
 * new scores being stored.
 */
export class FreshScores {
  private pending = new Set<string>();
  private firstTouch: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  readonly latencies: number[] = [];

  constructor(
    private readonly db: Db,
    private readonly opts: FreshScoresOptions = {},
  ) {}

  touch(accounts: readonly string[]): void {
    if (accounts.length === 0) return;
    for (const a of accounts) this.pending.add(a);
    const now = performance.now();
    this.firstTouch ??= now;
    if (this.timer) clearTimeout(this.timer);
    const wait = Math.min(
      this.opts.debounceMs ?? 200,
      Math.max(0, this.firstTouch + (this.opts.maxWaitMs ?? 800) - now),
    );
    this.timer = setTimeout(() => void this.flush(), wait);
  }

  /** Scores what is pending now (and waits for it). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const accounts = [...this.pending];
    const started = this.firstTouch;
    this.pending = new Set();
    this.firstTouch = undefined;
    if (accounts.length === 0) return this.running;
    this.running = this.running.then(async () => {
      try {
        const scorecard = await activeScorecard(this.db);
        const asOf = (this.opts.clock?.() ?? new Date()).toISOString();
        await runScoring(this.db, { asOf, scorecard, accounts, target: "current" });
        await this.opts.afterRun?.(accounts);
        if (started !== undefined) this.latencies.push(performance.now() - started);
      } catch (err) {
        this.opts.onError?.(err);
      }
    });
    return this.running;
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
