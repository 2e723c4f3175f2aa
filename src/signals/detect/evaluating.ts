/**
 * evaluating_alternatives: "we are evaluating / trialling / looking at /
 * moving to …", with or without a named competitor, found in text at ingest;
 * in the 90 days before T, one per account.
 */
import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import { countsInWords, type DetectContext, type Detected, iso } from "./shared.js";
import { textKindRows } from "./text-kind.js";

export async function detectEvaluating(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const rows = await textKindRows(q, ctx, "evaluating_alternatives");
  return rows.map((r) => ({
    kind: "evaluating_alternatives",
    account: r.account,
    contact: null,
    competitor: r.competitor,
    severity: DEFAULT_SEVERITY.evaluating_alternatives,
    first_evidence_at: iso(r.first_at),
    last_evidence_at: iso(r.last_at),
    summary: `evaluating alternatives${r.competitor ? ` (${r.competitor})` : ""}: said in ${countsInWords(r.by_entity)}`,
    evidence: r.evidence,
    occurrences: r.n,
  }));
}
