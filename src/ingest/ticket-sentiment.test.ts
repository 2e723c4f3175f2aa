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
