import type { AlertContent } from "../../domain/notify/types.js";

/** The JSON a webhook carries (and the `data` of the events polling endpoint). */
export type WebhookBody = {
  id: string;
  type: string;
  timestamp: string;
  data: {
    account: { id: string; name: string; segment: string | null; arr: number | null };
    score: {
      score: number | null;
      band: string | null;
      trend: number | null;
      churn_probability: number | null;
    };
    play: { id: string; name: string; owner: string | null; tier: number; due_at: string | null } | null;
    reason: string;
    link: string;
  };
};

function iso(s: string): string {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? s : new Date(ms).toISOString();
}

/** An event as a webhook's body: the event, the account, its current score, the play, why, and a link. */
export function webhookBody(eventId: number | string, type: string, content: AlertContent): WebhookBody {
  const { account, play } = content;
  return {
    id: String(eventId),
    type,
    timestamp: iso(content.occurred_at),
    data: {
      account: { id: account.id, name: account.name, segment: account.segment, arr: account.arr },
      score: {
        score: content.score,
        band: content.band,
        trend: content.trend,
        churn_probability: content.churn_probability,
      },
      play: play
        ? {
            id: play.id,
            name: play.name,
            owner: play.owner,
            tier: play.tier,
            due_at: content.due_at === null ? null : iso(content.due_at),
          }
        : null,
      reason: content.reason,
      link: content.link,
    },
  };
}
