import type { Db } from "../store/index.js";
import { type RunSummary, runScoring, summaryOf } from "./run.js";
import type { ScorecardVersion } from "./scorecards.js";

/** The first day of every month from `from` to `to` (both dates, inclusive), as ISO instants. */
export function monthStarts(from: string, to: string): string[] {
  const start = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  const end = new Date(`${to.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    throw new Error("from and to must be dates (YYYY-MM-DD)");
  if (start.getTime() < new Date(`${from.slice(0, 10)}T00:00:00Z`).getTime())
    start.setUTCMonth(start.getUTCMonth() + 1);
  const out: string[] = [];
  for (const d = start; d <= end; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(d.toISOString());
  return out;
}

/** Replays monthly history point in time: one history snapshot per account per month start. */
export async function backfill(
  db: Db,
  scorecard: ScorecardVersion,
  from: string,
  to: string,
  onMonth?: (s: RunSummary) => void,
): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (const asOf of monthStarts(from, to)) {
    const s = summaryOf(await runScoring(db, { asOf, scorecard, target: "history" }));
    onMonth?.(s);
    out.push(s);
  }
  return out;
}
