/**
 * feature_parity_request: the customer asks for something because a
 * competitor has it ("Northwind does this out of the box", "we need parity
 * with…"), found in text at ingest; in the 90 days before T, one per account.
 */
import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import { countsInWords, type DetectContext, type Detected, iso } from "./shared.js";
import { textKindRows } from "./text-kind.js";

export async function detectFeatureParity(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const rows = await textKindRows(q, ctx, "feature_parity_request");
  return rows.map((r) => ({
    kind: "feature_parity_request",
    account: r.account,
    contact: null,
    competitor: r.competitor,
    severity: DEFAULT_SEVERITY.feature_parity_request,
    first_evidence_at: iso(r.first_at),
    last_evidence_at: iso(r.last_at),
    summary: `feature parity asked for in ${countsInWords(r.by_entity)}${r.competitor ? ` (with ${r.competitor})` : ""}`,
    evidence: r.evidence,
    occurrences: r.n,
  }));
}
