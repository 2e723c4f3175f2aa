import { describe, expect, it } from "vitest";
import { content } from "./content.fixture.js";
import { webhookBody } from "./webhook-body.js";

describe("webhookBody", () => {
  it("has exactly the documented shape", () => {
    const body = webhookBody(42, "play.opened", content());
    expect(body).toStrictEqual({
      id: "42",
      type: "play.opened",
      timestamp: "2026-01-15T15:00:00.000Z",
      data: {
        account: { id: "acc_1", name: "Acme Corp", segment: "enterprise", arr: 120_000 },
        score: { score: 62, band: "critical", trend: -9, churn_probability: 0.41 },
        play: {
          id: "ply_1",
          name: "Executive sponsor call",
          owner: "Casey Smith",
          tier: 1,
          due_at: "2026-01-16T15:00:00.000Z",
        },
        reason: "critical: the champion left",
        link: "https://keepwell.example/accounts/acc_1",
      },
    });
    expect(Object.keys(body)).toEqual(["id", "type", "timestamp", "data"]);
    expect(Object.keys(body.data)).toEqual(["account", "score", "play", "reason", "link"]);
  });

  it("keeps a bigint id as given and has no play for account events", () => {
    const body = webhookBody(
      "9007199254740993",
      "account.band_changed",
      content({ play: null, due_at: null }),
    );
    expect(body.id).toBe("9007199254740993");
    expect(body.type).toBe("account.band_changed");
    expect(body.data.play).toBeNull();
  });

  it("normalises times to ISO and survives a JSON round trip unchanged", () => {
    const body = webhookBody(1, "play.overdue", content({ occurred_at: "2026-01-15T10:00:00-05:00" }));
    expect(body.timestamp).toBe("2026-01-15T15:00:00.000Z");
    expect(JSON.parse(JSON.stringify(body))).toStrictEqual(body);
  });
});
