import { signalLabel } from "./critical-signals.js";
import type { Bands } from "./scorecard-schema.js";

export type Band = "healthy" | "watch" | "at_risk" | "critical";
export const BANDS = ["healthy", "watch", "at_risk", "critical"] as const satisfies readonly Band[];

export interface PresentSignal {
  name: string;
  label: string;
  detail?: string;
}

/** The band a number earns: ≥ healthy → healthy; ≥ watch → watch; else at_risk. */
export function bandForScore(score: number, bands: Bands): Exclude<Band, "critical"> {
  if (score >= bands.healthy) return "healthy";
  if (score >= bands.watch) return "watch";
  return "at_risk";
}

const describe = (signal: PresentSignal) =>
  signal.detail === undefined ? signal.label : `${signal.label} (${signal.detail})`;

function scoreReason(score: number, bands: Bands): string {
  const shown = score.toFixed(1);
  switch (bandForScore(score, bands)) {
    case "healthy":
      return `score ${shown} is at or above the healthy threshold (${bands.healthy})`;
    case "watch":
      return `score ${shown} is at or above the watch threshold (${bands.watch}) and below healthy (${bands.healthy})`;
    case "at_risk":
      return `score ${shown} is below the watch threshold (${bands.watch})`;
  }
}

/**
 * The band and why. A present critical signal makes the account critical whatever
 * the number, even when there was no data to score; with no score and no signal
 * the band is null.
 */
export function decideBand(
  score: number | null,
  bands: Bands,
  signals: readonly PresentSignal[],
): { band: Band | null; reason: string } {
  if (signals.length > 0) {
    const named = signals.map(describe).join("; ");
    const otherwise =
      score === null
        ? "no data to score"
        : `score ${score.toFixed(1)} would otherwise be ${bandForScore(score, bands)}`;
    return { band: "critical", reason: `critical: ${named}; ${otherwise}` };
  }
  if (score === null) return { band: null, reason: "no data: none of the scorecard's metrics had a value" };
  return { band: bandForScore(score, bands), reason: scoreReason(score, bands) };
}

export function presentSignal(name: string, detail?: string): PresentSignal {
  return detail === undefined
    ? { name, label: signalLabel(name) }
    : { name, label: signalLabel(name), detail };
}
