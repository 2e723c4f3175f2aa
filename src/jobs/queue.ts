import PgBoss from "pg-boss";
import type { z } from "zod";
import { type Db, jobSchemaOf, type Queryable } from "../store/index.js";
import { JOBS, type JobDefinition } from "./definitions/index.js";

/** pg-boss talks to the store through the store port, so it runs on PGlite and PostgreSQL alike. */
function bossDb(q: Queryable) {
  return {
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: values && values.length > 0 ? await q.query(text, values) : await q.exec(text),
    }),
  };
}

export interface WorkOptions {
  /** Jobs taken at once (handled together). */
  batchSize?: number;
  pollingIntervalSeconds?: number;
}

/**
 * The job queue: pg-boss on the store. `send` may join a transaction, so a
 * job is queued exactly when the change that calls for it commits. Workers
 * run in the API process (`keepwell serve`) or in `keepwell worker`.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly workers = new Map<string, string[]>();
  private started = false;

  private constructor(private readonly db: Db) {
    this.boss = new PgBoss({
      db: bossDb(db),
      schema: jobSchemaOf(db),
      // The store's migrations install and upgrade the queue's tables.
      migrate: false,
      supervise: true,
      schedule: true,
    });
    this.boss.on("error", (err) => this.onError?.(err));
  }

  /** Reports errors of the queue's own background work (maintenance, polling). */
  onError?: (err: unknown) => void;

  /** A queue on a migrated store, its queues created; send works at once, workers once started. */
  static async open(db: Db): Promise<JobQueue> {
    const q = new JobQueue(db);
    for (const def of Object.values(JOBS) as JobDefinition[]) await q.ensureQueue(def);
    return q;
  }

  /**
   * Creates a queue unless it exists. Two processes opening a new store at
   * once can both try (a deadlock or a duplicate on pg-boss's tables): the
   * loser looks again and finds the winner's queue.
   */
  private async ensureQueue(def: JobDefinition): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (await this.boss.getQueue(def.name)) return;
      try {
        await this.boss.createQueue(def.name, {
          name: def.name,
          retryLimit: def.retryLimit,
          retryBackoff: true,
          retryDelay: 1,
          expireInSeconds: def.expireInSeconds,
        });
        return;
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((r) => setTimeout(r, 50 * attempt + Math.random() * 100));
      }
    }
  }

  /** Queues a job; inside `tx` when given (committed or rolled back with it); not before `startAfter` when given. */
  async send<P extends z.ZodType>(
    def: JobDefinition<P>,
    data: z.infer<P>,
    tx?: Queryable,
    opts: { startAfter?: Date } = {},
  ): Promise<void> {
    const payload = def.payload.parse(data);
    await this.boss.send(
      def.name,
      payload as object,
      {
        ...(tx ? { db: bossDb(tx) } : {}),
        ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
      } as PgBoss.SendOptions,
    );
  }

  /** Queues many jobs of `def` in one statement (inside `tx` when given), each not before its `startAfter`. */
  async sendMany<P extends z.ZodType>(
    def: JobDefinition<P>,
    jobs: readonly { data: z.infer<P>; startAfter?: Date }[],
    tx?: Queryable,
  ): Promise<void> {
    if (jobs.length === 0) return;
    await this.boss.insert(
      jobs.map((j) => ({
        name: def.name,
        data: def.payload.parse(j.data) as object,
        retryLimit: def.retryLimit,
        retryBackoff: true,
        retryDelay: 1,
        expireInSeconds: def.expireInSeconds,
        ...(j.startAfter ? { startAfter: j.startAfter } : {}),
      })),
      tx ? { db: bossDb(tx) } : {},
    );
  }

  /**
   * Runs `def` on a cron schedule (pg-boss keeps one schedule per queue in
   * the store, so many workers still run it once per tick).
   */
  async schedule(def: JobDefinition, cron: string): Promise<void> {
    await this.boss.schedule(def.name, cron, {}, { tz: "UTC" });
  }

  /** Starts the queue's maintenance and polling (needed by workers, not by send). */
  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
  }

  /** Handles jobs of `def`, `batchSize` at a time; a handler that throws has its jobs retried. */
  async work<P extends z.ZodType>(
    def: JobDefinition<P>,
    handler: (payloads: z.infer<P>[]) => Promise<void>,
    opts: WorkOptions = {},
  ): Promise<void> {
    await this.start();
    const id = await this.boss.work(
      def.name,
      { batchSize: opts.batchSize ?? 50, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5 },
      async (jobs) => handler(jobs.map((j) => def.payload.parse(j.data))),
    );
    this.workers.set(def.name, [...(this.workers.get(def.name) ?? []), id]);
  }

  /** Wakes this process's workers of `def` now instead of at their next poll (after a commit that queued work). */
  wake(def: JobDefinition): void {
    for (const id of this.workers.get(def.name) ?? []) this.boss.notifyWorker(id);
  }

  /** Jobs of `def` not yet done (queued, retrying or running). */
  async pending(def: JobDefinition): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${jobSchemaOf(this.db)}.job WHERE name = $1 AND state < 'completed'`,
      [def.name],
    );
    return row?.n ?? 0;
  }

  /** Stops polling and waits for running jobs (a job cut short is retried by the next worker). */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: 30_000 });
  }
}
