import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";

/**
 * The tone of a ticket's text, from −1 (angry) to 1 (delighted), scored once
 * at ingest with wink-nlp's English model (which handles negation: "not
 * happy" is negative). Null when the ticket has no text.
 */
let nlp: ReturnType<typeof winkNLP> | undefined;

/**
 * Words longer than this are cut to it before scoring: no word that long
 * carries a tone, and wink-nlp's time grows with the square of a token's
 * length (a 60,000-character token took 6 s).
 */
const LONGEST_WORD = 64;
const LONG_WORD = new RegExp(`\\S{${LONGEST_WORD + 1},}`, "g");

export function textSentiment(text: string): number {
  nlp ??= winkNLP(model);
  const words = text.replace(LONG_WORD, (w) => w.slice(0, LONGEST_WORD));
  const score = nlp.readDoc(words).out(nlp.its.sentiment) as unknown as number;
  return Math.max(-1, Math.min(1, Number(score) || 0));
}

export function ticketSentiment(ticket: { subject?: unknown; body?: unknown }): number | null {
  const text = [ticket.subject, ticket.body]
    .filter((t): t is string => typeof t === "string" && t.trim() !== "")
    .join(". ");
  return text ? Math.round(textSentiment(text) * 1000) / 1000 : null;
}
