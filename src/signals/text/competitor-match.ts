import { CALENDAR_WORDS, isOrdinaryWord } from "./ordinary-words.js";

/** A competitor as configured: its name and the other names customers use for it. */
export type Competitor = { name: string; aliases: string[] };

/** A competitor named in a sentence: [start, end) in UTF-16 units. */
export type Mention = { competitor: string; start: number; end: number };

type Term = { competitor: string; ambiguous: boolean; calendar: boolean };

/** Letters, digits and marks in any script: what a name must not run into. */
const WORD = "[\\p{L}\\p{N}\\p{M}_]";
const WORD_CHAR = new RegExp(`^${WORD}$`, "u");

// After an ordinary-word alias: "monday.com", "Notion app", "Pipe CRM".
const PRODUCT_AFTER =
  /^(?:\.(?:com|io|so|ai|app|co|net)\b|\s+(?:app|apps|software|tool|tools|platform|workspace|workspaces|integration|licen[cs]es?|subscription|instance|crm|pricing|seats|api|plugin|add-?on|extension|suite|boards?)\b)/iu;
// Before one: "switched to Notion", "we use Pipe", "compared with Monday".
const PRODUCT_BEFORE =
  /\b(?:(?:switch(?:ed|ing)?|migrat(?:e|ed|ing)|mov(?:e|ed|ing)|go(?:ing)?|went)\s+(?:over\s+)?to|use|uses|used|using|trial(?:l?ing|l?ed)?|evaluat(?:e|ed|ing)|pilot(?:ing|ed)?|consider(?:ing|ed)?|chose|choose|picked|prefer(?:s|red)?|than|vs\.?|versus|(?:went|go|going)\s+with|signed\s+with|compared\s+(?:to|with)|instead\s+of|(?:migrat\w*|switch\w*|mov\w*)\s+(?:over\s+)?from)\s+$/iu;
// The same for day and month names, without the words a date follows ("moving to Monday", "than Friday").
const CALENDAR_BEFORE =
  /\b(?:(?:switch(?:ed|ing)?|migrat(?:e|ed|ing))\s+(?:over\s+)?to|use|uses|using|trial(?:l?ing|l?ed)?|evaluat(?:e|ed|ing)|pilot(?:ing|ed)?|versus|(?:went|go|going)\s+with|signed\s+with|compared\s+(?:to|with)|instead\s+of|(?:migrat\w*|switch\w*)\s+(?:over\s+)?from)\s+$/iu;
// A sentence opening with a product's name: "Notion has this", "Pipe already does".
const SUBJECT_VERB =
  /^(?:['’]s\s|\s+(?:has|have|does|offers?|supports?|provides?|already|handles?|lets|allows|includes?|ships|integrates|charges|costs|gives)\b)/iu;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function termSource(term: string): string {
  const words = term.split(/\s+/).map(escapeRegExp).join("\\s+");
  const head = WORD_CHAR.test(term[0]!) ? `(?<!${WORD})` : "";
  const tail = WORD_CHAR.test(term[term.length - 1]!) ? `(?!${WORD})` : "";
  return `${head}${words}${tail}`;
}

const normal = (s: string) => s.replace(/\s+/g, " ").toLowerCase();

/**
 * Finds competitors named in text: names and aliases as whole words and
 * phrases, case-insensitive, never inside another word. An alias that is an
 * ordinary word ("Monday", "Notion", "Pipe") counts only where it reads as a
 * name: capitalised mid-sentence, or beside a product cue (".com", "app",
 * "switched to …", "we use …"); a day or month name only beside a cue.
 */
export class CompetitorMatcher {
  private readonly terms = new Map<string, Term>();
  private readonly pattern: RegExp | undefined;

  constructor(competitors: readonly Competitor[]) {
    for (const c of competitors)
      for (const raw of [c.name, ...c.aliases]) {
        const t = raw.trim();
        if (!t || this.terms.has(normal(t))) continue;
        const words = t.split(/\s+/);
        const ambiguous = words.every((w) => isOrdinaryWord(w));
        const calendar = ambiguous && words.some((w) => CALENDAR_WORDS.has(w.toLowerCase()));
        this.terms.set(normal(t), { competitor: c.name, ambiguous, calendar });
      }
    const sources = [...this.terms.keys()].sort((a, b) => b.length - a.length).map(termSource);
    this.pattern = sources.length ? new RegExp(sources.join("|"), "giu") : undefined;
  }

  get empty(): boolean {
    return this.pattern === undefined;
  }

  /** Whether any name or alias appears in `text` at all (a quick test before reading it sentence by sentence). */
  any(text: string): boolean {
    if (!this.pattern) return false;
    this.pattern.lastIndex = 0;
    return this.pattern.test(text);
  }

  /** The competitors named in one sentence, in order. */
  find(sentence: string): Mention[] {
    const out: Mention[] = [];
    if (!this.pattern) return out;
    const re = this.pattern;
    re.lastIndex = 0;
    for (let m = re.exec(sentence); m; m = re.exec(sentence)) {
      const term = this.terms.get(normal(m[0]));
      if (!term) continue;
      const start = m.index;
      const end = start + m[0].length;
      if (term.ambiguous && !readsAsName(sentence, start, end, term.calendar)) continue;
      out.push({ competitor: term.competitor, start, end });
    }
    return out;
  }
}

/** Whether an ordinary word at [start, end) of `sentence` is used as a product's name. */
function readsAsName(sentence: string, start: number, end: number, calendar: boolean): boolean {
  const after = sentence.slice(end, end + 40);
  const before = sentence.slice(Math.max(0, start - 40), start);
  if (PRODUCT_AFTER.test(after)) return true;
  if ((calendar ? CALENDAR_BEFORE : PRODUCT_BEFORE).test(before)) return true;
  if (calendar) return false;
  const text = sentence.slice(start, end);
  const capitalised = /^\p{Lu}/u.test(text) && text !== text.toUpperCase();
  if (!capitalised) return false;
  // Mid-sentence: a word comes before it, and no opening quote, colon or bullet right before.
  const opensSentence = !/[\p{L}\p{N}]/u.test(sentence.slice(0, start)) || /[:"“(•*–-]\s*$/u.test(before);
  return !opensSentence || SUBJECT_VERB.test(after);
}
