import type { Queryable } from "../store/index.js";

export interface NewPlayEvent {
  play_id: string;
  kind: string;
  detail: Record<string, unknown>;
}

/** Appends lines to plays' histories, all at `now`, through the store's bulk path. */
export async function writePlayEvents(
  tx: Queryable,
  list: readonly NewPlayEvent[],
  now: Date,
  actor = "system",
): Promise<void> {
  if (list.length === 0) return;
  const at = now.toISOString();
  await tx.withRows(
    ["play_id", "at", "kind", "actor", "detail"],
    list.map((e) => [e.play_id, at, e.kind, actor, JSON.stringify(e.detail)]),
    (src) =>
      `INSERT INTO play_events (play_id, at, kind, actor, detail)
       SELECT play_id, at::timestamptz, kind, actor, detail::jsonb FROM ${src}`,
  );
}
