/** A sentence of a text and where it starts in it (UTF-16 offset). */
export type Sentence = { text: string; start: number };

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  "e.g",
  "i.e",
  "etc",
  "vs",
  "mr",
  "mrs",
  "ms",
  "dr",
  "inc",
  "ltd",
  "co",
  "corp",
  "approx",

  "jr",
  "sr",
  "st",
  "dept",
  "fig",
  "eg",
  "ie",
]);

// A run of sentence-ending punctuation (and closing quotes or brackets) followed by space, or a line break.
const BOUNDARY = /[.!?…]+["'”’)\]]*(?=\s)|\n/g;

/**
 * Splits text into sentences: at line breaks, and at ".", "!", "?" followed by
 * space (not after "e.g.", "Inc." and the like, nor inside "monday.com" or
 * "3.5"). Each sentence is trimmed; its start is where its first character is.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  let from = 0;
  const push = (end: number) => {
    let s = from;
    let e = end;
    while (s < e && isSpace(text.charCodeAt(s))) s++;
    while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
    if (e > s) out.push({ text: text.slice(s, e), start: s });
  };
  BOUNDARY.lastIndex = 0;
  for (let m = BOUNDARY.exec(text); m; m = BOUNDARY.exec(text)) {
    if (m[0] !== "\n" && m[0].startsWith(".") && m[0].length === 1 && isAbbreviation(text, m.index)) continue;
    const end = m.index + m[0].length;
    push(end);
    from = end;
  }
  push(text.length);
  return out;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 160 || c === 0x2028 || c === 0x2029;
}

/** Whether the full stop at `dot` ends an abbreviation ("e.g.", "Inc.", a single initial as in "J. Smith"). */
function isAbbreviation(text: string, dot: number): boolean {
  let s = dot;
  while (s > 0 && /[\p{L}.]/u.test(text[s - 1]!)) s--;
  const word = text.slice(s, dot).toLowerCase();
  if (word.length === 1 && /\p{Lu}/u.test(text[s]!)) return true;
  return ABBREVIATIONS.has(word);
}
