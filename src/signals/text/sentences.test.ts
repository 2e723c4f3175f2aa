import { describe, expect, it } from "vitest";
import { splitSentences } from "./sentences.js";

describe("splitSentences", () => {
  it("splits at full stops, question and exclamation marks followed by space, and at line breaks", () => {
    const text = "Hi team. Is this on the roadmap? Yes!\nThanks,\n  Ana";
    const s = splitSentences(text);
    expect(s.map((x) => x.text)).toEqual(["Hi team.", "Is this on the roadmap?", "Yes!", "Thanks,", "Ana"]);
    for (const x of s) expect(text.slice(x.start, x.start + x.text.length)).toBe(x.text);
  });

  it("keeps abbreviations, domains and decimals inside a sentence", () => {
    const s = splitSentences("We use monday.com, e.g. for tasks. Version 4.2 is out. Acme Inc. called.");
    expect(s.map((x) => x.text)).toEqual([
      "We use monday.com, e.g. for tasks.",
      "Version 4.2 is out.",
      "Acme Inc. called.",
    ]);
  });

  it("gives nothing for blank text", () => {
    expect(splitSentences("  \n ")).toEqual([]);
  });
});
