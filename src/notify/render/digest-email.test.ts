import { describe, expect, it } from "vitest";
import { accountEvent, content } from "./content.fixture.js";
import { digestGroups, renderDigestEmail } from "./digest-email.js";
import type { RenderItem } from "./format.js";

const opts = { recipientName: "Casey Smith", date: "2026-01-15", timeZone: "UTC" };
const item = (c: RenderItem["content"], occurrences = 1): RenderItem => ({ content: c, occurrences });

/** 7 alerts on 4 accounts: Big (watch, ARR 900k), Acme (critical), Small (watch, ARR 10k), Done (info). */
function sample(): RenderItem[] {
  return [
    item(accountEvent("acc_small", "Small Co")),
    item(
      accountEvent("acc_big", "Big Co", {
        account: { id: "acc_big", name: "Big Co", segment: "smb", arr: 900_000 },
      }),
    ),
    item(
      accountEvent("acc_done", "Done Co", {
        event_type: "play.closed",
        title: "Play closed (saved): Done Co",
        band: "healthy",
      }),
    ),
    item(content({ title: "Overdue: Acme Corp — Executive sponsor call", event_type: "play.overdue" }), 2),
    item(content()),
    item(
      accountEvent("acc_big", "Big Co", {
        title: "Big Co's score dropped 5 points",
        account: { id: "acc_big", name: "Big Co", segment: "smb", arr: 900_000 },
      }),
    ),
    item(accountEvent("acc_small", "Small Co", { title: "Small Co's score dropped 4 points" })),
  ];
}

const order = (s: string, names: string[]) => names.map((n) => s.indexOf(n));

describe("renderDigestEmail", () => {
  it("counts alerts and accounts in the subject", () => {
    expect(renderDigestEmail(sample(), opts).subject).toBe("Keepwell digest: 7 alerts on 4 accounts");
    expect(renderDigestEmail([item(content())], opts).subject).toBe("Keepwell digest: 1 alert on 1 account");
  });

  it("orders accounts by their most severe alert, then by ARR, in both parts", () => {
    const groups = digestGroups(sample());
    expect(groups.map((g) => g.account.id)).toEqual(["acc_1", "acc_big", "acc_small", "acc_done"]);
    const m = renderDigestEmail(sample(), opts);
    for (const part of [m.text, m.html]) {
      const at = order(part, ["Acme Corp", "Big Co", "Small Co", "Done Co"]);
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    }
  });

  it("uses the severity the caller gives over the band", () => {
    const items = sample().map((i) =>
      i.content.account.id === "acc_done" ? { ...i, severity: "critical" as const } : i,
    );
    // Done Co now ties Acme on severity and has no more ARR (10k < 120k): second.
    expect(digestGroups(items).map((g) => g.account.id)).toEqual([
      "acc_1",
      "acc_done",
      "acc_big",
      "acc_small",
    ]);
  });

  it("lists each account's alerts under it with reason, due time and repeat count", () => {
    const m = renderDigestEmail(sample(), opts);
    const acme = m.text.slice(m.text.indexOf("== Acme Corp"), m.text.indexOf("== Big Co"));
    expect(acme).toContain("(enterprise · ARR 120,000)");
    expect(acme).toContain("Band: critical · Score: 62, down 9 in 30 days");
    expect(acme).toContain("- Overdue: Acme Corp — Executive sponsor call (fired 2 times)");
    expect(acme).toContain("- Critical play opened: Acme Corp — Executive sponsor call");
    expect(acme).toContain("Due: Executive sponsor call by Fri 16 Jan, 15:00 UTC");
    expect(acme).toContain("Open: https://keepwell.example/accounts/acc_1");
    expect(acme).not.toContain("Big Co's score");
    expect(m.text).toContain("Your Keepwell digest for Thu 15 Jan 2026: 7 alerts on 4 accounts.");
    expect(m.html).toContain('href="https://keepwell.example/accounts/acc_big"');
  });

  it("shows due times on the recipient's clock", () => {
    const m = renderDigestEmail([item(content())], { ...opts, timeZone: "Asia/Tokyo" });
    expect(m.text).toMatch(/Due: Executive sponsor call by Sat 17 Jan, 00:00 /);
  });

  it("escapes account names, titles and reasons in the HTML", () => {
    const evil = accountEvent("e", "<b>Evil</b> & Sons", {
      title: "<script>x()</script>",
      reason: "<img src=x>",
    });
    const m = renderDigestEmail([item(evil)], { ...opts, recipientName: "<Eve>" });
    expect(m.html).not.toMatch(/<b>Evil|<script>x|<img|<Eve>/);
    expect(m.html).toContain("&lt;b&gt;Evil&lt;/b&gt; &amp; Sons");
    expect(m.html).toContain("&lt;script&gt;x()&lt;/script&gt;");
  });
});
