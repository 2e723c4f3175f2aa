import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";

/**
 * Whether a word is an ordinary English word (in wink-nlp's English lexicon,
 * which ticket sentiment loads already): a competitor alias like "Monday",
 * "Notion" or "Pipe" must read as a name before it counts.
 */
let lexicon: ((w: string) => boolean) | undefined;

function load(): (w: string) => boolean {
  // A private instance: its lexemes are the lexicon's, then each word it has
  // not seen (out of vocabulary) in the order met. The first word read is
  // made up, so its id is where the lexicon ends.
  const nlp = winkNLP(model);
  const id = (w: string) => Number(nlp.readDoc(w).tokens().out(nlp.its.uniqueId)[0]);
  const size = id("qxzvkwjqxzv");
  return (w) => id(w) < size;
}

/** Day and month names: capitalised wherever they stand, so a capital says nothing about them. */
export const CALENDAR_WORDS = new Set([
  "monday",
  "tuesday",
  "wednesday",
  "thursday",
  "friday",
  "saturday",
  "sunday",
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
]);

export function isOrdinaryWord(word: string): boolean {
  const w = word.toLowerCase();
  if (CALENDAR_WORDS.has(w)) return true;
  if (!/^\p{Ll}+$/u.test(w)) return false;
  lexicon ??= load();
  return lexicon(w);
}
