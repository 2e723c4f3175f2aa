import { describe, expect, it } from "vitest";
import { accountEvent, content } from "./content.fixture.js";
import type { RenderItem } from "./format.js";
import { MAX_BLOCKS, slackAlert, slackDigest } from "./slack.js";

type Block = {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
  elements?: { type: string; text: unknown; url?: string }[];
};

/** Every text Slack would parse in a message. */
function texts(blocks: unknown[]): string[] {
  const out: string[] = [];
  for (const b of blocks as Block[]) {
    if (b.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) if (typeof e.text === "string") out.push(e.text);
  }
  return out;
}

const opts = { recipientName: null, date: "2026-01-15", timeZone: "UTC" };

describe("slackAlert", () => {
  it("has the facts as fields, the reason as context and a button to the account", () => {
    const m = slackAlert(content(), 1);
    const blocks = m.blocks as Block[];
    expect(blocks.map((b) => b.type)).toEqual(["section", "section", "context", "actions"]);
    expect(blocks[0]?.text?.text).toBe("*Critical play opened: Acme Corp — Executive sponsor call*");
    const fields = blocks[1]?.fields?.map((f) => f.text) ?? [];
    expect(fields).toContain("*Band*\ncritical");
    expect(fields).toContain("*Score*\n62, down 9 in 30 days");
    expect(fields).toContain("*Due*\nExecutive sponsor call by Fri 16 Jan, 15:00 UTC");
    expect(fields[0]).toBe(
      "*Account*\n<https://keepwell.example/accounts/acc_1|Acme Corp>\nenterprise · ARR 120,000",
    );
    expect(blocks[2]?.elements?.[0]?.text).toBe("Why: critical: the champion left");
    expect(blocks[3]?.elements).toEqual([
      {
        type: "button",
        action_id: "open_account",
        text: { type: "plain_text", text: "Open account" },
        url: "https://keepwell.example/accounts/acc_1",
      },
    ]);
    expect(m.text).toBe(
      "Critical play opened: Acme Corp — Executive sponsor call — Acme Corp: 62, down 9 in 30 days",
    );
  });

  it("escapes &, < and > everywhere it writes text", () => {
    const evil = content({
      title: "Opened: <!channel> A&B",
      account: { id: "x", name: "A&B <Corp>", segment: null, arr: null },
      reason: "<@U123> left & took <https://x.example|this>",
      due_what: "call <now>",
    });
    const m = slackAlert(evil, 2);
    const all = [...texts(m.blocks), m.text].join("\n");
    expect(all).not.toContain("<!channel>");
    expect(all).not.toContain("<@U123>");
    expect(all).not.toContain("<Corp>");
    expect(all).not.toContain("<https://x.example");
    expect(all).toContain("A&amp;B &lt;Corp&gt;");
    expect(all).toContain("&lt;@U123&gt; left &amp; took");
    expect(all).toContain("Fired 2 times");
    // the only "<" left opens our own link to the account
    expect(all.match(/</g)?.length).toBe(1);
  });

  it("has no button when the link is not http(s)", () => {
    const m = slackAlert(content({ link: "javascript:alert(1)" }), 1);
    expect((m.blocks as Block[]).some((b) => b.type === "actions")).toBe(false);
    expect(texts(m.blocks).join("")).not.toContain("javascript:");
  });

  it("leaves out due and context when there is neither", () => {
    const m = slackAlert(accountEvent("a", "Small Co", { reason: "" }), 1);
    const blocks = m.blocks as Block[];
    expect(blocks.map((b) => b.type)).toEqual(["section", "section", "actions"]);
    expect(blocks[1]?.fields?.some((f) => f.text.startsWith("*Due*"))).toBe(false);
  });
});

describe("slackDigest", () => {
  const many = (n: number): RenderItem[] =>
    Array.from({ length: n }, (_, i) => ({
      content: accountEvent(`acc_n${i}`, `Account ${i}`, {
        account: { id: `acc_n${i}`, name: `Account ${i}`, segment: null, arr: 1000 * (n - i) },
      }),
      occurrences: 1,
    }));

  it("has a heading and a section per account, most severe first", () => {
    const items: RenderItem[] = [...many(3), { content: content(), occurrences: 3 }];
    const m = slackDigest(items, opts);
    expect(m.text).toBe("Keepwell digest: 4 alerts on 4 accounts");
    const t = texts(m.blocks);
    expect(t).toHaveLength(5);
    expect(t[0]).toBe("*Keepwell digest* for Thu 15 Jan 2026: 4 alerts on 4 accounts");
    expect(t[1]).toContain(
      "*<https://keepwell.example/accounts/acc_1|Acme Corp>* · critical · score 62, down 9",
    );
    expect(t[1]).toContain("(×3) — due Fri 16 Jan, 15:00 UTC");
    expect(t.slice(2).map((s) => /Account \d/.exec(s)?.[0])).toEqual(["Account 0", "Account 1", "Account 2"]);
  });

  it(`stops at ${MAX_BLOCKS} blocks and says how many accounts did not fit`, () => {
    const m = slackDigest(many(100), opts);
    expect(m.blocks).toHaveLength(MAX_BLOCKS);
    const last = texts(m.blocks).at(-1);
    const shown = m.blocks.length - 2;
    expect(last).toBe(`… and ${100 - shown} more accounts`);
    expect(texts(m.blocks).join("")).toContain("Account 0");
    expect(texts(m.blocks).join("")).not.toContain("Account 99");
  });

  it("fits exactly without a 'more' line", () => {
    const m = slackDigest(many(MAX_BLOCKS - 1), opts);
    expect(m.blocks).toHaveLength(MAX_BLOCKS);
    expect(texts(m.blocks).join("")).not.toContain("more accounts");
  });

  it("escapes account names and titles", () => {
    const m = slackDigest(
      [{ content: accountEvent("e", "<!here> & co", { title: "<b>" }), occurrences: 1 }],
      opts,
    );
    const all = texts(m.blocks).join("\n");
    expect(all).not.toContain("<!here>");
    expect(all).toContain("&lt;!here&gt; &amp; co");
    expect(all).toContain("• &lt;b&gt;");
  });
});
