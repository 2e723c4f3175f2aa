import type { TextFindingKind } from "../kinds.js";
import { type Competitor, CompetitorMatcher, type Mention } from "./competitor-match.js";
import { findCues, MASK } from "./cues.js";
import { splitSentences } from "./sentences.js";

/** What text analysis found: a kind, the competitor named (when one), the sentence, and where in it the match is. */
export type TextFinding = {
  kind: TextFindingKind;
  competitor: string | null;
  sentence: string;
  /** [match_start, match_end) in `sentence`, in UTF-16 units. */
  match_start: number;
  match_end: number;
};

/** A finding and where its sentence starts in the text. */
export type PlacedFinding = TextFinding & { offset: number };

/** Longest sentence kept whole; a longer one is cut to a window around the match. */
const LONGEST_SENTENCE = 600;
const WINDOW = 250;

// Words at least one phrase rule needs: text with none of them (and no competitor) has nothing to find.
const HINT =
  /evaluat|trial|pilot|look|consider|mov|switch|migrat|replac|rfp|request\s+for|poc|proof|bake|shop|leav|left|last\s+day|no\s+longer|resign|notice|step|retir|laid\s+off|let\s+go|redundant|new\s+(?:role|job|position)|accepted|join|parity|par\s+with|catch|behind|lagging|other|competit|procure|legal|redlin|msa|dpa|liabil|indemn|budget|spend|fro?ze|cfo|approv|push|security|purchase|\bpo\b|net[- ]|vendor|most\s|every\s|crm|tool|platform|app\b|better|had|retir|has\s+\w+\s+left|chose|picked|selected|went|go(?:ing)?\s+with|sign|talk|speak|quote|demo|compar|explor|research|assess|alternativ|finance|purchas/i;

const cache = new WeakMap<readonly Competitor[], CompetitorMatcher>();

/** The matcher for a competitors list, built once per list (an import reads the list once and passes it on). */
export function matcherFor(competitors: readonly Competitor[]): CompetitorMatcher {
  let m = cache.get(competitors);
  if (!m) {
    m = new CompetitorMatcher(competitors);
    cache.set(competitors, m);
  }
  return m;
}

/**
 * What a text says that signals care about: each competitor named, feature
 * parity asks, evaluations of alternatives, departures and procurement or
 * legal pushback, each with its sentence and the match in it. Pure.
 */
export function findInText(text: string, competitors: readonly Competitor[]): TextFinding[] {
  return placedFindings(text, matcherFor(competitors)).map(({ offset: _o, ...f }) => f);
}

/** findInText, with where each finding's sentence starts in `text`. */
export function placedFindings(text: string, matcher: CompetitorMatcher): PlacedFinding[] {
  const out: PlacedFinding[] = [];
  if (!text || (!matcher.any(text) && !HINT.test(text))) return out;
  const sentences = splitSentences(text);
  for (let i = 0; i < sentences.length; i++) {
    const { text: s, start: offset } = sentences[i]!;
    const mentions = matcher.find(s);
    const masked = mask(s, mentions);
    const cues = findCues(s, masked, sentences, i);
    if (mentions.length === 0 && cues.length === 0) continue;
    const found: PlacedFinding[] = [];
    for (const m of mentions) add(found, "competitor_mention", m.competitor, s, m.start, m.end, offset);
    for (const cue of cues) {
      if (cue.kind === "departure" || cue.kind === "procurement_pushback") {
        add(found, cue.kind, null, s, cue.start, cue.end, offset);
        continue;
      }
      const named = namedBy(cue, mentions, masked);
      if (named.length === 0) add(found, cue.kind, null, s, cue.start, cue.end, offset);
      for (const c of named) add(found, cue.kind, c, s, cue.start, cue.end, offset);
    }
    for (const f of found) out.push(windowed(f));
  }
  return out;
}

/** Adds a finding unless the sentence has one of that kind and competitor already. */
function add(
  found: PlacedFinding[],
  kind: TextFindingKind,
  competitor: string | null,
  sentence: string,
  start: number,
  end: number,
  offset: number,
): void {
  if (found.some((f) => f.kind === kind && f.competitor === competitor)) return;
  found.push({ kind, competitor, sentence, match_start: start, match_end: end, offset });
}

/** The sentence with each competitor named replaced by as many MASK characters. */
function mask(s: string, mentions: readonly Mention[]): string {
  if (mentions.length === 0) return s;
  let out = "";
  let at = 0;
  for (const m of mentions) {
    out += s.slice(at, m.start) + MASK.repeat(m.end - m.start);
    at = m.end;
  }
  return out + s.slice(at);
}

// A list going on after a competitor: "Northwind, Contoso and Fabrikam".
const LIST_ON = new RegExp(
  `^\\s*(?:,\\s*(?:and\\s+|or\\s+)?|and\\s+|or\\s+|&\\s*|as\\s+well\\s+as\\s+|vs\\.?\\s+|versus\\s+)${MASK}+`,
  "u",
);

const LIST_BACK = new RegExp(
  `^${MASK}+(?:\\s*,\\s*(?:and\\s+|or\\s+)?|\\s+and\\s+|\\s+or\\s+|\\s*&\\s*)$`,
  "u",
);

/** The competitors a phrase is about: those inside it (and any listed straight after), else the nearest in the sentence. */
function namedBy(
  cue: { start: number; end: number },
  mentions: readonly Mention[],
  masked: string,
): string[] {
  if (mentions.length === 0) return [];
  const inside = mentions.filter((m) => m.start >= cue.start && m.end <= cue.end);
  if (inside.length) {
    const names = inside.map((m) => m.competitor);
    let start = inside[0]!.start;
    for (const m of [...mentions].reverse()) {
      if (m.end > start) continue;
      if (!LIST_BACK.test(masked.slice(m.start, start))) break;
      names.unshift(m.competitor);
      start = m.start;
    }
    let end = inside[inside.length - 1]!.end;
    for (const m of mentions) {
      if (m.start < end) continue;
      if (!LIST_ON.test(masked.slice(end, m.end))) break;
      names.push(m.competitor);
      end = m.end;
    }
    return [...new Set(names)];
  }
  const after = mentions.find((m) => m.start >= cue.end);
  return [(after ?? mentions[mentions.length - 1]!).competitor];
}

/** A long sentence cut to a window around the match (at spaces), offsets moved to agree. */
function windowed(f: PlacedFinding): PlacedFinding {
  const s = f.sentence;
  if (s.length <= LONGEST_SENTENCE) return f;
  let from = Math.max(0, f.match_start - WINDOW);
  let to = Math.min(s.length, f.match_end + WINDOW);
  if (from > 0) {
    const space = s.indexOf(" ", from);
    if (space >= 0 && space < f.match_start) from = space + 1;
  }
  if (to < s.length) {
    const space = s.lastIndexOf(" ", to);
    if (space > f.match_end) to = space;
  }
  return {
    ...f,
    sentence: s.slice(from, to),
    match_start: f.match_start - from,
    match_end: f.match_end - from,
    offset: f.offset + from,
  };
}
