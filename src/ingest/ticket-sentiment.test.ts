import { describe, expect, it } from "vitest";
import { textSentiment, ticketSentiment } from "./ticket-sentiment.js";

describe("ticket sentiment", () => {
  it("tells angry from pleased, and reads negation", () => {
    expect(textSentiment("This is still broken and we are very frustrated")).toBeLessThan(0);
    expect(textSentiment("Thanks, it works great now, really happy")).toBeGreaterThan(0.3);
    expect(textSentiment("We are not happy with this at all")).toBeLessThan(0);
    expect(textSentiment("not bad at all")).toBeGreaterThan(0);
  });
  it("is null without text and combines subject and body", () => {
    expect(ticketSentiment({})).toBeNull();
    expect(ticketSentiment({ subject: "  " })).toBeNull();
    const s = ticketSentiment({ subject: "Terrible outage", body: "Everything is down, awful" });
    expect(s).not.toBeNull();
    expect(s!).toBeLessThan(0);
  });
});

describe("ticket sentiment on pathological text", () => {
  it("scores a ticket made of one 60,000-character word in well under a second", () => {
    textSentiment("warm up");
    const started = performance.now();
    expect(
      ticketSentiment({ subject: "x".repeat(60_000), body: "still broken, we are very frustrated" }),
    ).toBeLessThan(0);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
