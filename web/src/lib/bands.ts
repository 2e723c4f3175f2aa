import type { Band } from "./types";

export const BANDS: readonly Band[] = ["healthy", "watch", "at_risk", "critical"];

/**
 * One colour per band, used everywhere (badges, scores, charts), always next to
 * its label: green, amber, red, and a deep plum for critical.
 */
export const BAND_STYLE: Record<
  Band | "unscored",
  { label: string; fill: string; text: string; ink: string; tint: string }
> = {
  healthy: { label: "Healthy", fill: "#1e7b3c", text: "#ffffff", ink: "#17692f", tint: "#e4f3e8" },
  watch: { label: "Watch", fill: "#e9a100", text: "#2b1d00", ink: "#8a5a00", tint: "#fdf3d8" },
  at_risk: { label: "At risk", fill: "#cc2b2b", text: "#ffffff", ink: "#b02121", tint: "#fbe6e6" },
  critical: { label: "Critical", fill: "#4c1451", text: "#ffffff", ink: "#4c1451", tint: "#f1e3f2" },
  unscored: { label: "Not scored", fill: "#8a94a3", text: "#ffffff", ink: "#5b6472", tint: "#eef0f3" },
};

export function isBand(value: unknown): value is Band {
  return typeof value === "string" && (BANDS as readonly string[]).includes(value);
}

export function bandStyle(band: string | null | undefined) {
  return isBand(band) ? BAND_STYLE[band] : BAND_STYLE.unscored;
}

export function bandLabel(band: string | null | undefined): string {
  if (band === "new") return "New";
  if (band === "gone") return "Left";
  return bandStyle(band).label;
}

/** The band a score falls in by the thresholds alone (critical needs a signal, so never from a number). */
export function bandOfScore(score: number, t: { healthy: number; watch: number }): Band {
  return score >= t.healthy ? "healthy" : score >= t.watch ? "watch" : "at_risk";
}

/** Worse bands rank higher: for "went up / went down". */
export const BAND_RANK: Record<string, number> = { healthy: 0, watch: 1, at_risk: 2, critical: 3 };
