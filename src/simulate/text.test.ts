import { describe, expect, it } from "vitest";
import { companyName } from "./names.js";
import { npsComment } from "./note-text.js";
import { Rng } from "./random.js";
import { fill, hasNegativeMarker, type TicketKind, type Tone, ticketText } from "./text.js";

const KINDS: TicketKind[] = [
  "how_to",
  "bug",
  "billing",
  "feature_request",
  "access",
  "integration",
  "performance",
];
const ctx = {
  feature: "dashboards",
  competitor: "Quantix",
  plan: "growth",
  sender: "Ana",
  mentionCompetitor: false,
};

describe("ticketText", () => {
  it("is deterministic for a seed", () => {
    const a = ticketText("bug", "negative", ctx, Rng.of(1));
    expect(ticketText("bug", "negative", ctx, Rng.of(1))).toEqual(a);
  });

  it("varies its wording widely", () => {
    const r = Rng.of("variety");
    const bodies = new Set<string>();
    const subjects = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const t = ticketText(
        r.choice(KINDS),
        r.choice(["positive", "neutral", "negative", "angry"] as Tone[]),
        ctx,
        r,
      );
      bodies.add(t.body);
      subjects.add(t.subject);
    }
    expect(bodies.size).toBeGreaterThan(550);
    expect(subjects.size).toBeGreaterThan(60);
  });

  it("sounds unhappy in bad tones and not in good ones", () => {
    const r = Rng.of("tone");
    const share = (tone: Tone): number => {
      let hits = 0;
      for (let i = 0; i < 400; i++)
        if (hasNegativeMarker(ticketText(r.choice(KINDS), tone, ctx, r).body)) hits++;
      return hits / 400;
    };
    expect(share("positive")).toBe(0);
    expect(share("neutral")).toBe(0);
    expect(share("negative")).toBeGreaterThan(0.6);
    expect(share("angry")).toBeGreaterThan(0.8);
  });

  it("names the competitor when asked and fills every placeholder", () => {
    const r = Rng.of("competitor");
    for (let i = 0; i < 200; i++) {
      const { subject, body } = ticketText(
        r.choice(KINDS),
        "negative",
        { ...ctx, mentionCompetitor: true },
        r,
      );
      expect(body).toContain("Quantix");
      expect(`${subject}${body}`).not.toMatch(/[{}]/);
    }
    const cancel = ticketText("cancellation", "angry", { ...ctx, reason: "We're moving to Quantix." }, r);
    expect(cancel.body).toContain("We're moving to Quantix.");
    expect(hasNegativeMarker(cancel.body)).toBe(true);
  });
});

describe("fill", () => {
  it("replaces placeholders and capitalizes {Name}", () => {
    expect(fill("{Feature} broke; {feature} again", { feature: "the API" })).toBe(
      "The API broke; the API again",
    );
  });
});

describe("npsComment", () => {
  it("matches the score", () => {
    const r = Rng.of("nps");
    const low = Array.from({ length: 50 }, () =>
      npsComment(2, { competitor: "Quantix", feature: "x", integration: "y" }, r),
    );
    expect(
      low.some((c) => c.includes("Quantix") || hasNegativeMarker(c) || /bugs|slow|price|worse|days/.test(c)),
    ).toBe(true);
    expect(npsComment(10, {}, r)).not.toMatch(/[{}]/);
  });
});

describe("companyName", () => {
  it("never repeats a domain and varies names", () => {
    const domains = new Set<string>();
    const names = new Set<string>();
    const r = Rng.of("names");
    for (let i = 0; i < 20_000; i++) {
      const c = companyName(i, "seed", r);
      domains.add(c.domain);
      names.add(c.name);
      expect(c.domain).toMatch(/^[a-z0-9]+\.(com|io|co|net)$/);
    }
    expect(domains.size).toBe(20_000);
    expect(names.size).toBeGreaterThan(19_000);
  });
});
