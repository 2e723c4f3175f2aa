import type { CrashStore } from "./stores.js";

/** The counts `keepwell import --json` and the ingest API report. */
export interface Counts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** What a complete run must report given what the store already held of its input. */
export function expectedCounts(state: string, n: number): Counts | undefined {
  if (state === "none") return { inserted: n, updated: 0, unchanged: 0 };
  if (state === "all") return { inserted: 0, updated: 0, unchanged: n };
  return undefined;
}

export function sameCounts(a: Counts | undefined, b: Counts | undefined): boolean {
  return !!a && !!b && a.inserted === b.inserted && a.updated === b.updated && a.unchanged === b.unchanged;
}

/** The shell command a person would type to repeat a run on this store (for reproductions). */
export function commandLine(store: CrashStore, args: string[]): string {
  const env =
    store.kind === "postgres"
      ? `DATABASE_URL=${store.env.DATABASE_URL} KEEPWELL_DATABASE_SCHEMA=<fresh schema> `
      : "";
  const flags = store.kind === "pglite" ? "--data-dir DIR " : "";
  return `${env}node bin/keepwell.js ${flags}${args.join(" ")}`;
}

/** Options every scenario takes. */
export interface ScenarioOptions {
  /** Progress lines for people (the bench prints them). */
  log?: (line: string) => void;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n").slice(0, 6).join(" | ");
}
