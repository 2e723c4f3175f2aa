import { describe, expect, it } from "vitest";
import { content } from "./content.fixture.js";
import {
  accountLine,
  dueLine,
  escapeHtml,
  escapeSlack,
  oneLine,
  safeLink,
  scoreLine,
  severityOfItem,
  when,
} from "./format.js";

describe("scoreLine", () => {
  it.each([
    [62, -9, "62, down 9 in 30 days"],
    [62, 4.25, "62, up 4.3 in 30 days"],
    [62.04, 0.01, "62, unchanged in 30 days"],
    [48.5, null, "48.5"],
    [null, -3, "no score"],
  ])("%s with trend %s reads %s", (score, trend, out) => {
    expect(scoreLine(score, trend)).toBe(out);
  });
});

describe("when and dueLine", () => {
  it("shows a time on the recipient's clock with its zone", () => {
    expect(when("2026-01-16T15:00:00.000Z")).toBe("Fri 16 Jan, 15:00 UTC");
    expect(when("2026-01-16T15:00:00.000Z", "America/New_York")).toBe("Fri 16 Jan, 10:00 EST");
    expect(when("2026-01-16T15:00:00.000Z", "Asia/Tokyo")).toMatch(/^Sat 17 Jan, 00:00 /);
  });
  it("says what is due by when, or nothing for account events", () => {
    expect(dueLine(content())).toBe("Executive sponsor call by Fri 16 Jan, 15:00 UTC");
    expect(dueLine(content({ due_at: null }))).toBeNull();
  });
});

describe("escaping and links", () => {
  it("escapes HTML's five characters", () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;",
    );
  });
  it("escapes Slack's three control characters, ampersand first", () => {
    expect(escapeSlack("A&B <!channel> &lt;")).toBe("A&amp;B &lt;!channel&gt; &amp;lt;");
  });
  it("keeps only http(s) links", () => {
    expect(safeLink("https://keepwell.example/accounts/a%20b")).toBe(
      "https://keepwell.example/accounts/a%20b",
    );
    expect(safeLink("javascript:alert(1)")).toBeNull();
    expect(safeLink("not a url")).toBeNull();
  });
  it("makes one line of a header value", () => {
    expect(oneLine("Hello\r\nBcc: evil@example.com")).toBe("Hello Bcc: evil@example.com");
  });
  it("describes an account by segment and ARR", () => {
    expect(accountLine({ id: "a", name: "A", segment: "enterprise", arr: 1234567 })).toBe(
      "enterprise · ARR 1,234,567",
    );
    expect(accountLine({ id: "a", name: "A", segment: null, arr: null })).toBeNull();
  });
});

describe("severityOfItem", () => {
  it("uses the given severity, else info for a closed play, else the band", () => {
    expect(
      severityOfItem({ content: content({ band: "healthy" }), occurrences: 1, severity: "critical" }),
    ).toBe("critical");
    expect(severityOfItem({ content: content({ event_type: "play.closed" }), occurrences: 1 })).toBe("info");
    expect(severityOfItem({ content: content({ band: "at_risk" }), occurrences: 1 })).toBe("at_risk");
    expect(severityOfItem({ content: content({ band: null }), occurrences: 1 })).toBe("watch");
  });
});
