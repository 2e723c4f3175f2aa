import model from "wink-eng-lite-web-model";
import winkNLP from "wink-nlp";

/**
 * The tone of a ticket's text, from −1 (angry) to 1 (delighted), scored once
 * at ingest with wink-nlp's English model (which handles negation: "not
 * happy" is negative). Null when the ticket has no text.
 */
let nlp: ReturnType<typeof winkNLP> | undefined;

export function textSentiment(text: string): number {
  nlp ??= winkNLP(model);
  const score = nlp.readDoc(text).out(nlp.its.sentiment) as unknown as number;
  return Math.max(-1, Math.min(1, Number(score) || 0));
}

export function ticketSentiment(ticket: { subject?: unknown; body?: unknown }): number | null {
  const text = [ticket.subject, ticket.body]
    .filter((t): t is string => typeof t === "string" && t.trim() !== "")
    .join(". ");
  return text ? Math.round(textSentiment(text) * 1000) / 1000 : null;
}
