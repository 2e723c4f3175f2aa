import { describe, expect, it } from "vitest";
import { renderAlertEmail } from "./alert-email.js";
import { content } from "./content.fixture.js";

const opts = { recipientName: "Casey Smith", occurrences: 1 };

describe("renderAlertEmail", () => {
  it("says the account, band, score and trend, the reason, what is due by when, and links the account", () => {
    const m = renderAlertEmail(content(), opts);
    expect(m.subject).toBe("Critical play opened: Acme Corp — Executive sponsor call");
    for (const part of [m.text, m.html]) {
      expect(part).toContain("Acme Corp");
      expect(part).toContain("enterprise · ARR 120,000");
      expect(part).toContain("critical");
      expect(part).toContain("62, down 9 in 30 days");
      expect(part).toContain("critical: the champion left");
      expect(part).toContain("Executive sponsor call by Fri 16 Jan, 15:00 UTC");
      expect(part).toContain("https://keepwell.example/accounts/acc_1");
      expect(part).toContain("Hi Casey Smith,");
    }
    expect(m.text).toContain("Score: 62, down 9 in 30 days");
    expect(m.text).toContain("Open the account: https://keepwell.example/accounts/acc_1");
    expect(m.html).toContain('href="https://keepwell.example/accounts/acc_1"');
  });

  it("shows due times on the recipient's clock when given one", () => {
    const m = renderAlertEmail(content(), { ...opts, timeZone: "America/New_York" });
    expect(m.text).toContain("Executive sponsor call by Fri 16 Jan, 10:00 EST");
  });

  it("escapes every text in the HTML and keeps the subject on one line", () => {
    const evil = content({
      title: "Play opened: <b>Evil</b>\r\nBcc: all@example.com",
      account: { id: "x", name: `<script>alert("x")</script> & Co`, segment: "<i>seg</i>", arr: null },
      reason: `"quoted" <img src=x onerror=alert(1)>`,
      due_what: "<u>call</u>",
      play: { id: "p", name: "<p>", owner: "O'Brien <o@x>", tier: 1 },
    });
    const m = renderAlertEmail(evil, { recipientName: "<Eve>", occurrences: 1 });
    expect(m.subject).toBe("Play opened: <b>Evil</b> Bcc: all@example.com");
    expect(m.html).not.toContain("<script>");
    expect(m.html).not.toContain("<img");
    expect(m.html).not.toContain("<b>Evil");
    expect(m.html).not.toContain("<Eve>");
    expect(m.html).not.toContain("<u>");
    expect(m.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co");
    expect(m.html).toContain("O&#39;Brien &lt;o@x&gt;");
    expect(m.text).toContain(`<script>alert("x")</script> & Co`);
  });

  it("makes no link of a non-http address and loads no external assets", () => {
    const m = renderAlertEmail(content({ link: "javascript:alert(1)" }), opts);
    expect(m.html).not.toContain("href=");
    expect(m.html).toContain("javascript:alert(1)");
    const normal = renderAlertEmail(content(), opts).html;
    expect(normal).not.toMatch(/<img|<link|<script|src=|url\(/i);
    expect(normal.match(/https?:\/\//g)).toEqual(["https://"]);
  });

  it("greets without a name and counts repeated firings", () => {
    const once = renderAlertEmail(content(), { recipientName: null, occurrences: 1 });
    expect(once.text.startsWith("Hello,\n")).toBe(true);
    expect(once.text).not.toContain("fired");
    const thrice = renderAlertEmail(content(), { recipientName: null, occurrences: 3 });
    expect(thrice.text).toContain("This alert has fired 3 times.");
    expect(thrice.html).toContain("This alert has fired 3 times.");
  });

  it("leaves out what an account event does not have", () => {
    const m = renderAlertEmail(
      content({ due_at: null, due_what: null, play: null, churn_probability: null, trend: null, band: null }),
      opts,
    );
    expect(m.text).not.toContain("Due:");
    expect(m.text).not.toContain("Play:");
    expect(m.text).not.toContain("Churn probability");
    expect(m.text).toContain("Band: no band");
    expect(m.text).toContain("Score: 62\n");
  });
});
