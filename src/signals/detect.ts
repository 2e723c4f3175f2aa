/**
 * Every signal kind for every account (or the accounts asked for) as of a
 * date, from facts strictly before it: one set-based query per detector, for
 * all accounts at once (see src/signals/detect/ for each detector's rules).
 */
import { asOfInstant } from "../metrics/scope.js";
import type { Queryable } from "../store/index.js";
import { detectChampionDepartures } from "./detect/champion-departure.js";
import { detectCompetitorMentions } from "./detect/competitor-mention.js";
import { detectCriticalDissatisfaction } from "./detect/critical-dissatisfaction.js";
import { detectEvaluating } from "./detect/evaluating.js";
import { detectFeatureParity } from "./detect/feature-parity.js";
import { detectNegotiationFriction } from "./detect/negotiation-friction.js";
import type { DetectContext, Detected } from "./detect/shared.js";
import { detectStakeholderSilence } from "./detect/stakeholder-silence.js";
import type { SignalKind } from "./kinds.js";

export type { DetectContext, Detected } from "./detect/shared.js";

export const DETECTORS: Record<SignalKind, (q: Queryable, ctx: DetectContext) => Promise<Detected[]>> = {
  competitor_mention: detectCompetitorMentions,
  feature_parity_request: detectFeatureParity,
  evaluating_alternatives: detectEvaluating,
  stakeholder_silence: detectStakeholderSilence,
  champion_departure: detectChampionDepartures,
  negotiation_friction: detectNegotiationFriction,
  critical_dissatisfaction: detectCriticalDissatisfaction,
};

/**
 * The signals present as of `opts.asOf` (an ISO date or instant; facts dated
 * at or after it never count), ordered by account, kind, then contact or
 * competitor. Each carries `occurrences`: how many times its evidence occurs.
 * Throws a RangeError when asOf is not a date.
 */
export async function detectSignals(
  q: Queryable,
  opts: { asOf: string; accounts?: readonly string[]; kinds?: readonly SignalKind[] },
): Promise<Detected[]> {
  const ctx: DetectContext = { asOf: asOfInstant(opts.asOf), accounts: opts.accounts };
  if (ctx.accounts?.length === 0) return [];
  const kinds = opts.kinds ?? (Object.keys(DETECTORS) as SignalKind[]);
  // A store (a pool) runs the detectors side by side; a transaction (one connection) one after another.
  const found: Detected[][] = [];
  if ("transaction" in q) found.push(...(await Promise.all(kinds.map((k) => DETECTORS[k](q, ctx)))));
  else for (const k of kinds) found.push(await DETECTORS[k](q, ctx));
  return found
    .flat()
    .sort(
      (a, b) =>
        cmp(a.account, b.account) ||
        kinds.indexOf(a.kind) - kinds.indexOf(b.kind) ||
        cmp(a.contact ?? a.competitor ?? "", b.contact ?? b.competitor ?? ""),
    );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
