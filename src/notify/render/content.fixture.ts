import type { AlertContent } from "../../domain/notify/types.js";

/** An alert's content for the renderer tests: a critical play on Acme, due tomorrow. */
export function content(over: Partial<AlertContent> = {}): AlertContent {
  return {
    event_type: "play.opened",
    title: "Critical play opened: Acme Corp — Executive sponsor call",
    account: { id: "acc_1", name: "Acme Corp", segment: "enterprise", arr: 120_000 },
    band: "critical",
    score: 62,
    trend: -9,
    churn_probability: 0.41,
    reason: "critical: the champion left",
    due_at: "2026-01-16T15:00:00.000Z",
    due_what: "Executive sponsor call",
    play: { id: "ply_1", name: "Executive sponsor call", owner: "Casey Smith", tier: 1 },
    link: "https://keepwell.example/accounts/acc_1",
    occurred_at: "2026-01-15T15:00:00.000Z",
    ...over,
  };
}

/** Another account's event: a band change (no play). */
export function accountEvent(id: string, name: string, over: Partial<AlertContent> = {}): AlertContent {
  return content({
    event_type: "account.band_changed",
    title: `${name} moved from healthy to watch`,
    account: { id, name, segment: "smb", arr: 10_000 },
    band: "watch",
    score: 70,
    trend: -4,
    reason: "band moved from healthy to watch",
    due_at: null,
    due_what: null,
    play: null,
    link: `https://keepwell.example/accounts/${id}`,
    ...over,
  });
}
