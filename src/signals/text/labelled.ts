import { TEXT_FINDING_KINDS, type TextFindingKind } from "../kinds.js";
import type { Competitor } from "./competitor-match.js";
import { findInText } from "./find.js";

/** Hand-labelled sentences (test/data/signal-sentences.json): the competitors configured, and each text with what it says. */
export type LabelledSet = {
  competitors: Competitor[];
  sentences: {
    text: string;
    /** The competitors configured for this text (names from `competitors`). */
    competitors: string[];
    expected: { kind: TextFindingKind; competitor: string | null }[];
  }[];
};

export type KindScore = {
  kind: TextFindingKind;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
};

export type LabelledMiss = {
  text: string;
  kind: TextFindingKind;
  competitor: string | null;
  wrong: "missed" | "extra";
};

/**
 * Precision and recall of findInText per finding kind over a labelled set:
 * a finding counts once per text by (kind, competitor).
 */
export function scoreLabelled(set: LabelledSet): { kinds: KindScore[]; misses: LabelledMiss[] } {
  const byName = new Map(set.competitors.map((c) => [c.name, c]));
  const counts = new Map(TEXT_FINDING_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  const misses: LabelledMiss[] = [];
  for (const s of set.sentences) {
    const competitors = s.competitors.map((n) => byName.get(n) ?? { name: n, aliases: [] });
    const key = (k: string, c: string | null) => `${k}|${c ?? ""}`;
    const found = new Map(findInText(s.text, competitors).map((f) => [key(f.kind, f.competitor), f]));
    const expected = new Map(s.expected.map((e) => [key(e.kind, e.competitor), e]));
    for (const [k, e] of expected) {
      const c = counts.get(e.kind)!;
      if (found.has(k)) c.tp++;
      else {
        c.fn++;
        misses.push({ text: s.text, kind: e.kind, competitor: e.competitor, wrong: "missed" });
      }
    }
    for (const [k, f] of found)
      if (!expected.has(k)) {
        counts.get(f.kind)!.fp++;
        misses.push({ text: s.text, kind: f.kind, competitor: f.competitor, wrong: "extra" });
      }
  }
  const kinds = [...counts].map(([kind, c]) => ({
    kind,
    ...c,
    precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
    recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
  }));
  return { kinds, misses };
}
