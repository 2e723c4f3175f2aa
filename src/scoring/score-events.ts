import type { Queryable } from "../store/index.js";
import type { Scored } from "./run.js";
import type { PreviousScore } from "./snapshots.js";

/** A drop of at least this many points between runs is announced, unless the team's settings say otherwise. */
export const DEFAULT_SCORE_DROP_POINTS = 10;

export type ScoreEvent = {
  type: "account.band_changed" | "account.score_dropped";
  account: string;
  detail: object;
};

/**
 * What a run of current scores announces, compared with the scores it
 * replaced: a band that moved (account.band_changed), else a score that
 * fell by `dropPoints` or more (account.score_dropped; a band move says
 * more, so the two are not both announced). An account scored for the
 * first time announces nothing.
 */
export function scoreEvents(
  scored: readonly Scored[],
  previous: readonly PreviousScore[],
  dropPoints: number,
): ScoreEvent[] {
  const before = new Map(previous.map((p) => [p.account, p]));
  const out: ScoreEvent[] = [];
  for (const s of scored) {
    const p = before.get(s.account.id);
    const after = s.evaluation;
    if (!p || p.band === null || after.band === null) continue;
    if (p.band !== after.band) {
      out.push({
        type: "account.band_changed",
        account: s.account.id,
        detail: {
          band_before: p.band,
          band_after: after.band,
          score_before: p.score,
          score_after: after.score,
        },
      });
    } else if (p.score !== null && after.score !== null && p.score - after.score >= dropPoints) {
      out.push({
        type: "account.score_dropped",
        account: s.account.id,
        detail: {
          score_before: p.score,
          score_after: after.score,
          drop: Math.round((p.score - after.score) * 10) / 10,
        },
      });
    }
  }
  return out;
}

/** Writes a run's announcements into the events outbox, in the run's own transaction. */
export async function writeScoreEvents(
  tx: Queryable,
  scored: readonly Scored[],
  previous: readonly PreviousScore[],
): Promise<void> {
  if (previous.length === 0) return;
  const [row] = await tx.query<{ points: number | null }>(
    "SELECT (settings->>'score_drop_points')::float8 AS points FROM notification_settings",
  );
  const events = scoreEvents(scored, previous, row?.points ?? DEFAULT_SCORE_DROP_POINTS);
  if (events.length === 0) return;
  await tx.withRows(
    ["type", "account", "detail"],
    events.map((e) => [e.type, e.account, JSON.stringify(e.detail)]),
    (src) =>
      `INSERT INTO notify_events (type, account, subject, detail)
       SELECT type, account, account, detail::jsonb FROM ${src}`,
  );
}
