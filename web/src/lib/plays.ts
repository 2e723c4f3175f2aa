/**
 * Plays and playbooks as the API sends them (the HTTP contract of issue 18:
 * src/api/play-routes.ts, playbook-routes.ts, src/playbooks/simulate.ts), and
 * the words the dashboard uses for them.
 */

import type { Outcome, Play, PlayState } from "../../../src/playbooks/plays.js";
import { api } from "./api";
import { count } from "./format";
import type { Role } from "./types";

/** Who sees the Team page: those with a team to look at. */
export const TEAM_ROLES: readonly Role[] = ["admin", "executive", "leader"];

// POST /api/v1/playbooks/simulate (src/domain/playbooks/simulate.ts).
export type { SimulationReport } from "../../../src/domain/playbooks/simulate.js";
// A play and its parts, GET /api/v1/plays, /plays/:id, /accounts/:id/plays (src/playbooks/plays.ts).
export type { Outcome, Person, Play, PlayState } from "../../../src/playbooks/plays.js";
// GET /api/v1/team/plays (src/playbooks/team-plays.ts).
export type { TeamPlays, TeamPlaysPerson as TeamPlaysRow } from "../../../src/playbooks/team-plays.js";

/** The outcomes a person may choose (superseded is the system's). */
export const OUTCOMES = [
  "saved",
  "expanded",
  "downgraded",
  "lost",
  "not_needed",
] as const satisfies readonly Outcome[];
export type ChosenOutcome = (typeof OUTCOMES)[number];
export type PlayStep = Play["steps"][number];
export type PlaysPage = { plays: Play[]; next_cursor: string | null };
export type AccountPlays = { open: Play[]; history: Play[] };

/** GET /api/v1/playbooks. */
export interface PlaybooksResponse {
  version: number;
  source: string;
  created_at: string;
  playbooks: { playbooks: { key: string; name: string; tier?: number }[] } & Record<string, unknown>;
  yaml: string;
  versions: { version: number; source: string; created_at: string }[];
}

/** A problem in a playbooks file: its path (`playbooks[1].due`) and, from YAML, its line. */
export interface PlaybookProblem {
  path: string;
  message: string;
  line?: number | null;
}
export type PlaybooksCheck = { ok: true } | { ok: false; errors: PlaybookProblem[] };

export const STATE_LABEL: Record<PlayState, string> = {
  open: "Open",
  acknowledged: "Acknowledged",
  in_progress: "In progress",
  snoozed: "Snoozed",
  closed: "Closed",
};

export const OUTCOME_LABEL: Record<Outcome, string> = {
  saved: "Saved",
  expanded: "Expanded",
  downgraded: "Downgraded",
  lost: "Lost",
  not_needed: "Not needed",
  superseded: "Superseded",
};

/** How late an overdue play is, in the largest whole unit: "3 days late", "5 hours late". */
export function lateWords(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(ms / 3_600_000);
  const days = Math.floor(ms / 86_400_000);
  const [n, unit] =
    days >= 1 ? [days, "day"] : hours >= 1 ? [hours, "hour"] : [Math.max(1, minutes), "minute"];
  return `${count(n)} ${unit}${n === 1 ? "" : "s"} late`;
}

/** Time left until a due time, roughly: "due in 3 days", "due in 5 hours". */
export function dueWords(iso: string, now: Date = new Date()): string {
  const ms = new Date(iso).getTime() - now.getTime();
  if (ms <= 0) return lateWords(-ms);
  const hours = Math.round(ms / 3_600_000);
  if (hours < 1) return "due within the hour";
  if (hours < 48) return `due in ${hours} hour${hours === 1 ? "" : "s"}`;
  return `due in ${count(Math.round(ms / 86_400_000))} days`;
}

/** The short name of a play: "At risk" of "At risk: account leadership intervenes". */
export function shortName(name: string): string {
  const i = name.indexOf(":");
  return i > 0 ? name.slice(0, i) : name;
}

/** A class for a tier's colour: the default playbooks' four tiers, the rest neutral. */
export function tierClass(tier: number): string {
  return `tier tier-${Math.max(0, Math.min(4, Math.round(tier)))}`;
}

const playPath = (id: string) => `/api/v1/plays/${encodeURIComponent(id)}`;

/** A change to a play; the answer is the play as it is now. */
export const playActions = {
  acknowledge: (id: string) => api<Play>(`${playPath(id)}/acknowledge`, { method: "POST", body: {} }),
  unsnooze: (id: string) => api<Play>(`${playPath(id)}/unsnooze`, { method: "POST", body: {} }),
  stepDone: (id: string, step: string) =>
    api<Play>(`${playPath(id)}/steps/${encodeURIComponent(step)}/done`, { method: "POST", body: {} }),
  snooze: (id: string, body: { until: string; reason: string }) =>
    api<Play>(`${playPath(id)}/snooze`, { method: "POST", body }),
  close: (id: string, body: { outcome: string; note?: string; amount?: number | string }) =>
    api<Play>(`${playPath(id)}/close`, { method: "POST", body }),
};
