import type { TextFindingKind } from "../kinds.js";
import {
  CONTRACT_WORDS,
  DEPARTURE,
  EVALUATING,
  EVALUATING_IT,
  GATES,
  MASK,
  PARITY,
  PARITY_WITH_REQUEST,
  PROCUREMENT,
  REQUEST,
  SETTLED,
} from "./cue-patterns.js";

/** A phrase rule that matched a sentence: its kind and [start, end) in the sentence. */
export type CueMatch = { kind: Exclude<TextFindingKind, "competitor_mention">; start: number; end: number };

// A negation just before a phrase: "we are not looking at", "no plans to move to", "we won't be switching to".
const NEGATED =
  /(?:\b(?:not|never|no|nobody|neither|nor|without|stopped|quit|ceased|against|rather\s+than|instead\s+of|ruled\s+out|unlikely\s+to|refused?\s+to|no\s+longer|nowhere\s+near)\b|n['’]t\b)(?:\s+[\w'’-]+){0,3}\s*$/i;
// A question is not a negation: "why don't we just move to Northwind".
const WHY_NOT = /\bwhy\b[^,;]*n['’]t\b/i;
// A parity ask turned down: "we don't need it to work like Northwind does".
const PARITY_NEGATED =
  /\b(?:(?:don['’]?t|do\s+not|doesn['’]?t|does\s+not|never|not)\s+(?:[\w'’-]+\s+){0,2}?(?:need|want|care|require|expect|asking|looking\s+for)|no\s+need)\b/i;
// An evaluation that ended with the customer staying: "we looked at Northwind but stayed".
const STAYED =
  /\b(?:but|and|yet|though|however|then|in\s+the\s+end)\b[^.!?]{0,50}?\b(?:stayed|stay(?:ing)?\s+with|decided\s+to\s+stay|renewed|chose\s+you|picked\s+you|went\s+with\s+you|stuck\s+with|ruled\s+(?:it|them)\s+out|decided\s+against|dropped\s+(?:it|the\s+idea)|didn['’]?t\s+(?:work|go\s+anywhere)|fell\s+through|came\s+back)\b/i;
// An evaluation in the past: "we trialled Contoso two years ago".
const PAST_VERB =
  /^(?:evaluated|considered|looked|trialled|trialed|piloted|compared|explored|demoed|talked|spoke|assessed|researched)\b/i;
const HISTORIC =
  /\b(?:(?:last|previous|prior)\s+(?:year|quarter|time|spring|summer|fall|autumn|winter|renewal)|(?:years?|months?)\s+ago|in\s+the\s+past|back\s+in\s+\d{4}|in\s+(?:19|20)\d\d|before\s+(?:we|choosing|picking|signing))\b/i;
// Someone else's plans: "their other customer is moving to …", "Acme's parent company is evaluating …".
const THIRD_PARTY =
  /\b(?:(?:their|your|his|her)\s+other\s+(?:customers?|clients?)|other\s+(?:customers?|clients?|companies)|another\s+(?:customer|client|company|vendor|team\s+at)|(?:friends?|peers?|contacts?|former\s+colleagues?)\s+(?:at|from|of\s+mine)|parent\s+company|sister\s+company|subsidiar(?:y|ies)|(?:many|some|lots\s+of|a\s+lot\s+of|most|several)\s+(?:companies|customers|clients|firms|others)|everyone\s+else|(?:our|my)\s+(?:[\w-]+\s+)?(?:clients?|customers?)|heard\s+(?:that\s+)?)\b/gi;
// Who speaks for the customer: a first-person subject after a third party takes the sentence back ("another customer told us we should …").
const FIRST_PERSON = /\b(?:we|I)\b|\bwe['’]|\bthe\s+team\b/gi;

function lastIndex(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let at = -1;
  for (let m = re.exec(text); m; m = re.exec(text)) at = m.index;
  return at;
}

/** The clause before `at`: from the last comma, semicolon, colon or "but". */
function clauseBefore(s: string, at: number): string {
  const before = s.slice(Math.max(0, at - 80), at);
  const cut = Math.max(
    before.lastIndexOf(","),
    before.lastIndexOf(";"),
    before.lastIndexOf(":"),
    lastIndex(/\b(?:but|and)\b/gi, before) + 2,
  );
  return cut < 2 ? before : before.slice(cut + 1);
}

function aboutSomeoneElse(s: string, at: number): boolean {
  const before = s.slice(0, at);
  const third = lastIndex(THIRD_PARTY, before);
  return third >= 0 && third > lastIndex(FIRST_PERSON, before);
}

/** The first match of `re` in `s` from `from` on, or null. */
function next(re: RegExp, s: string, from: number): RegExpExecArray | null {
  re.lastIndex = from;
  return re.exec(s);
}

/** Whether the phrase at `at` is negated: a negation in the clause before it (`chars`: only that close). */
function negatedAt(masked: string, at: number, chars?: number): boolean {
  const before = clauseBefore(masked, at);
  const close = chars === undefined ? before : before.slice(-chars);
  return NEGATED.test(close) && !WHY_NOT.test(before);
}

function evaluatingOk(masked: string, m: RegExpExecArray): boolean {
  return (
    !negatedAt(masked, m.index) &&
    !aboutSomeoneElse(masked, m.index) &&
    !STAYED.test(masked.slice(m.index + m[0].length)) &&
    !(PAST_VERB.test(m[0]) && HISTORIC.test(masked))
  );
}

function parityOk(masked: string, m: RegExpExecArray): boolean {
  return !PARITY_NEGATED.test(clauseBefore(masked, m.index)) && !aboutSomeoneElse(masked, m.index);
}

/** The first match of any of `res` (after `after`) that `ok` accepts. */
function firstOk(
  res: readonly RegExp[],
  masked: string,
  ok: (masked: string, m: RegExpExecArray) => boolean,
  after = -1,
): RegExpExecArray | undefined {
  for (const re of res)
    for (let m = next(re, masked, 0); m; m = next(re, masked, m.index + Math.max(1, m[0].length)))
      if (m.index > after && ok(masked, m)) return m;
  return undefined;
}

/** The text of the sentences either side of sentence `i`. */
export function nearText(sentences: readonly { text: string }[], i: number): string {
  return `${sentences[i - 1]?.text ?? ""}\n${sentences[i + 1]?.text ?? ""}`;
}

function cue(kind: CueMatch["kind"], sentence: string, m: RegExpExecArray): CueMatch {
  return { kind, start: m.index, end: trimEnd(sentence, m.index, m.index + m[0].length) };
}

/**
 * The phrase rules that match one sentence, at most one per kind (the first
 * that is not negated). `masked` is the sentence with each competitor named
 * replaced by MASK characters (same length, so offsets agree); `sentences`
 * and `i` give the sentences either side (procurement language needs
 * contract words close by, and "Northwind has it." a request near it).
 */
export function findCues(
  sentence: string,
  masked: string,
  sentences: readonly { text: string }[] = [],
  i = 0,
): CueMatch[] {
  const out: CueMatch[] = [];
  const named = masked.indexOf(MASK);
  if (GATES.evaluating.test(masked)) {
    const m =
      firstOk(EVALUATING, masked, evaluatingOk) ??
      (named >= 0 ? firstOk(EVALUATING_IT, masked, evaluatingOk, named) : undefined);
    if (m) out.push(cue("evaluating_alternatives", sentence, m));
  }
  let parity = named >= 0 || GATES.parity.test(masked) ? firstOk(PARITY, masked, parityOk) : undefined;
  if (!parity && named >= 0 && (REQUEST.test(masked) || REQUEST.test(nearText(sentences, i))))
    parity = firstOk(PARITY_WITH_REQUEST, masked, parityOk);
  if (parity) out.push(cue("feature_parity_request", sentence, parity));
  if (GATES.departure.test(masked)) {
    const m = earliestDeparture(masked);
    if (m) out.push({ ...cue("departure", sentence, m), start: nameBefore(sentence, m.index) });
  }
  if (GATES.procurement.test(masked)) {
    const m = procurementIn(masked, sentences, i);
    if (m) out.push(cue("procurement_pushback", sentence, m));
  }
  return out;
}

/** The earliest departure phrase ("has left the company", not just "left the company"). */
function earliestDeparture(masked: string): RegExpExecArray | undefined {
  let first: RegExpExecArray | undefined;
  for (const re of DEPARTURE)
    for (let m = next(re, masked, 0); m; m = next(re, masked, m.index + Math.max(1, m[0].length))) {
      if (negatedAt(masked, m.index, 20)) continue;
      if (!first || m.index < first.index || (m.index === first.index && m[0].length > first[0].length))
        first = m;
    }
  return first;
}

function procurementIn(
  masked: string,
  sentences: readonly { text: string }[],
  i: number,
): RegExpExecArray | undefined {
  let near: string | undefined;
  for (const p of PROCUREMENT)
    for (let m = next(p.re, masked, 0); m; m = next(p.re, masked, m.index + Math.max(1, m[0].length))) {
      if (negatedAt(masked, m.index, 25)) continue;
      if (SETTLED.test(masked.slice(m.index + m[0].length))) continue;
      if (!p.intrinsic) {
        const rest = masked.slice(0, m.index) + masked.slice(m.index + m[0].length);
        if (!CONTRACT_WORDS.test(rest)) {
          near ??= nearText(sentences, i);
          if (!CONTRACT_WORDS.test(near)) continue;
        }
      }
      return m;
    }
  return undefined;
}

/** The end of a match without trailing spaces or punctuation. */
function trimEnd(s: string, start: number, end: number): number {
  let e = end;
  while (e > start + 1 && /[\s,.;:!?]/u.test(s[e - 1]!)) e--;
  return e;
}

// A person's name just before a departure phrase: "Ravi Martin has left", "Priya is leaving".
const NAME_BEFORE =
  /(?:\p{Lu}[\p{Ll}'’-]+\s+){0,2}\p{Lu}[\p{Ll}'’-]+(?:['’]s)?\s+(?:(?:is|was|has|had|will\s+be)\s+)?$/u;
const NOT_NAMES =
  /^(?:I|We|She|He|They|It|The|Our|My|Your|Their|His|Her|This|That|Just|So|And|But|Also|Unfortunately|Sadly|Heads|FYI|Note)\b/u;

function nameBefore(s: string, at: number): number {
  const m = NAME_BEFORE.exec(s.slice(Math.max(0, at - 60), at));
  if (!m) return at;
  let start = at - m[0].length;
  // Drop leading words that are not names ("Sadly Ravi has left" → "Ravi has left").
  while (start < at) {
    const rest = s.slice(start, at);
    const w = NOT_NAMES.exec(rest);
    if (!w) break;
    start += w[0].length;
    while (start < at && /\s/u.test(s[start]!)) start++;
  }
  return start < at ? start : at;
}

export { MASK };
