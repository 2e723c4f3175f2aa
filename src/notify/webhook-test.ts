import { type Actor, audit } from "../auth/index.js";
import { newId } from "../auth/tokens.js";
import { type AlertContent, TEST_EVENT } from "../domain/notify/index.js";
import { AppError } from "../errors.js";
import { deliverDeliveries } from "./deliver.js";
import { webhookTarget } from "./messages.js";
import { queueDeliveries } from "./queue-deliveries.js";
import { webhookBody } from "./render/webhook-body.js";
import type { EngineDeps } from "./webhook-admin.js";

/** What a test send says: an event about a made-up account, "acc_test", signed like every webhook. */
function sampleContent(publicUrl: string, now: Date): AlertContent {
  return {
    event_type: TEST_EVENT,
    title: "Test event from Keepwell: Example Account",
    account: { id: "acc_test", name: "Example Account", segment: "enterprise", arr: 48_000 },
    band: "at_risk",
    score: 54,
    trend: -7,
    churn_probability: 0.27,
    reason: "a test event, sent to check this endpoint receives and verifies Keepwell's webhooks",
    due_at: null,
    due_what: null,
    play: null,
    link: `${publicUrl.replace(/\/+$/, "")}/accounts/acc_test`,
    occurred_at: now.toISOString(),
  };
}

/**
 * Sends a test event ("webhook.test", a made-up account) to one endpoint at
 * once: written as a delivery (the log shows it, a replay resends it), then
 * delivered here and now. Refused for a disabled or removed endpoint.
 */
export async function sendTestEvent(deps: EngineDeps, id: string, actor: Actor): Promise<string> {
  const now = deps.clock();
  const deliveryId = newId("msg");
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.query<{ url: string; disabled_at: string | null; disabled_reason: string | null }>(
      "SELECT url, disabled_at, disabled_reason FROM webhook_endpoints WHERE id = $1 FOR SHARE",
      [id],
    );
    if (!row) throw new AppError("not_found", `no webhook endpoint ${id}`);
    if (row.disabled_at)
      throw new AppError(
        "conflict",
        `webhook endpoint ${id} is disabled${row.disabled_reason ? ` (${row.disabled_reason})` : ""}; enable it first`,
      );
    const content = sampleContent(deps.config.publicUrl ?? "http://127.0.0.1:3000", now);
    await queueDeliveries(
      tx,
      undefined,
      [
        {
          id: deliveryId,
          channel: "webhook",
          alert_id: null,
          endpoint_id: id,
          slack_channel_id: null,
          user_id: null,
          event_id: null,
          event_type: TEST_EVENT,
          target: webhookTarget(row.url),
          body: webhookBody(deliveryId, TEST_EVENT, content),
          next_attempt_at: now,
        },
      ],
      now,
    );
    await audit(tx, actor, "webhook.tested", {
      subjectType: "webhook",
      subjectId: id,
      after: { delivery: deliveryId },
    });
  });
  await deliverDeliveries(deps, [deliveryId]);
  return deliveryId;
}
