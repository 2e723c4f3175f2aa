import { describe, expect, it } from "vitest";
import { findInText } from "./find.js";

const competitors = [
  { name: "Northwind Analytics", aliases: ["Northwind"] },
  { name: "Contoso", aliases: [] },
];
const shown = (text: string) =>
  findInText(text, competitors).map((f) => ({
    kind: f.kind,
    competitor: f.competitor,
    match: f.sentence.slice(f.match_start, f.match_end),
  }));

describe("findInText", () => {
  it("highlights exactly the match in its sentence", () => {
    const text = "Hello.\nWe are evaluating Northwind for next year. Also Contoso already has SSO.";
    const found = findInText(text, competitors);
    expect(found.map((f) => [f.kind, f.competitor, f.sentence.slice(f.match_start, f.match_end)])).toEqual([
      ["competitor_mention", "Northwind Analytics", "Northwind"],
      ["evaluating_alternatives", "Northwind Analytics", "evaluating Northwind"],
      ["competitor_mention", "Contoso", "Contoso"],
      ["feature_parity_request", "Contoso", "Contoso already has"],
    ]);
    expect(found[0]!.sentence).toBe("We are evaluating Northwind for next year.");
    expect(found[3]!.sentence).toBe("Also Contoso already has SSO.");
  });

  it("negations and other companies' plans are no evaluation", () => {
    for (const t of [
      "We are not looking at Northwind.",
      "No plans to switch to Contoso.",
      "We considered Contoso last year but stayed.",
      "Their other customer is moving to Contoso.",
      "Acme's parent company is evaluating Northwind.",
    ])
      expect(
        shown(t).filter((f) => f.kind === "evaluating_alternatives"),
        t,
      ).toEqual([]);
  });

  it("finds evaluations without a competitor named", () => {
    expect(shown("We're looking at alternatives ahead of the renewal.")).toEqual([
      { kind: "evaluating_alternatives", competitor: null, match: "looking at alternatives" },
    ]);
  });

  it("includes the person's name in a departure", () => {
    expect(shown("Sadly, Ravi Martin has left the company.")).toEqual([
      { kind: "departure", competitor: null, match: "Ravi Martin has left the company" },
    ]);
  });

  it("needs contract words near procurement language", () => {
    expect(shown("Our legal team loved the webinar.")).toEqual([]);
    expect(shown("Legal is reviewing the renewal terms.").map((f) => f.kind)).toEqual([
      "procurement_pushback",
    ]);
    expect(shown("Legal review is done and we can sign.")).toEqual([]);
  });

  it("cuts a very long sentence to a window around the match, offsets still exact", () => {
    const text = `${"word ".repeat(400)}we are evaluating Northwind ${"more ".repeat(400)}`;
    for (const f of findInText(text, competitors)) {
      expect(f.sentence.length).toBeLessThan(700);
      expect(f.sentence.slice(f.match_start, f.match_end)).toMatch(/Northwind$/);
    }
  });

  it("gives nothing for text without signals", () => {
    expect(findInText("Can you resend the March invoice?", competitors)).toEqual([]);
    expect(findInText("", competitors)).toEqual([]);
  });
});
