/**
 * critical_dissatisfaction: today's critical signals (an open cancellation or
 * escalation ticket, a detractor NPS from an executive, a churn notice, the
 * executive sponsor inactive — src/metrics/critical-signals.ts, unchanged) as
 * one kind, severity critical, their detail lines the evidence. The band
 * still goes critical through the scorecard as before; this only reports them.
 */
import { signalLabel } from "../../domain/critical-signals.js";
import { computeSignals } from "../../metrics/critical-signals.js";
import type { Queryable } from "../../store/index.js";
import { DEFAULT_SEVERITY } from "../kinds.js";
import { type DetectContext, type Detected, iso, listInWords } from "./shared.js";

export async function detectCriticalDissatisfaction(q: Queryable, ctx: DetectContext): Promise<Detected[]> {
  const found = await computeSignals(q, { asOf: ctx.asOf, accounts: ctx.accounts, coreFeatures: [] });
  const at = iso(ctx.asOf);
  const out: Detected[] = [];
  for (const [account, list] of found) {
    if (list.length === 0) continue;
    out.push({
      kind: "critical_dissatisfaction",
      account,
      contact: null,
      competitor: null,
      severity: DEFAULT_SEVERITY.critical_dissatisfaction,
      // The critical signals carry their dates in words only: the signal is dated as of T.
      first_evidence_at: at,
      last_evidence_at: at,
      summary: listInWords(list.map((sig) => signalLabel(sig.name))),
      evidence: list.map((sig) => ({
        text: `${signalLabel(sig.name)}: ${sig.detail}`,
        values: { signal: sig.name },
      })),
      occurrences: list.length,
    });
  }
  return out;
}
