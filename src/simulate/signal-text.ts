/**
 * Wording the signal planting writes into tickets and notes: competitors
 * named, parity asks, evaluations, departures, procurement pushback, and the
 * decoys (names as ordinary words, negated statements) that must not count.
 * Written for the simulator; the hand-labelled test sentences are separate.
 * `{c}` is a competitor as the customer writes it, `{person}` a full name.
 */
import type { Rng } from "./random.js";
import { fill, type Vars } from "./text.js";

/** A competitor named, with no ask and no evaluation. */
export const MENTION_LINES = [
  "{c}'s account rep keeps emailing our CFO.",
  "Someone from {c} presented at our industry meetup last week.",
  "Our new director used {c} at her previous company.",
  "A sales rep from {c} cornered half our team at the conference.",
  "FYI, our finance lead received a pricing sheet from {c}.",
  "{c} sent our VP a very aggressive quote.",
  "Our board chair sits on an advisory panel with the {c} founders.",
] as const;

/** Asking for something because a competitor has it. */
export const PARITY_LINES = [
  "{c} lets users schedule exports natively; when can we expect the same?",
  "Our analysts keep asking why we can't build cohort views the way {c} does.",
  "Is there a date for SSO group sync? {c} shipped that ages ago.",
  "We'd need feature parity with {c} on dashboards to justify the renewal.",
  "Could you match what {c} offers for custom alerting?",
  "{c} gives us row-level permissions out of the box, so we expect the same here.",
  "The team keeps pointing out that {c} supports audit logs natively.",
  "Can you support bulk editing like {c} does?",
  "Our admins want the approval workflows {c} has; any plans?",
] as const;

/** Parity asks with no competitor named. */
export const PARITY_UNNAMED_LINES = [
  "Other tools have had scheduled exports for years, so we need parity here soon.",
  "Every other tool we use has granular roles built in; when will yours?",
] as const;

/** The customer weighing a move, a competitor named. */
export const EVALUATING_LINES = [
  "We've started a trial of {c} for the analytics team.",
  "Leadership asked us to run a POC with {c} this quarter.",
  "We are evaluating {c} alongside a couple of other vendors.",
  "Our team is piloting {c} in the EMEA region.",
  "We're seriously considering switching to {c} at renewal.",
  "We issued an RFP and {c} made the shortlist.",
  "Part of the team is trialling {c} next month.",
] as const;

/** The customer weighing a move, no competitor named. */
export const EVALUATING_UNNAMED_LINES = [
  "We are looking at other platforms before we renew.",
  "We're trialling a couple of other tools in parallel.",
  "We've been asked to evaluate other vendors before the contract ends.",
  "Honestly, we're considering a move to a different platform next year.",
] as const;

/** Someone else telling that a person left (names them in full). */
export const DEPARTURE_LINES = [
  "{person} is no longer with the company; please send updates to me for now.",
  "Quick update: {person} has left the company.",
  "Just so you know, {person} left the company last week.",
  "{person} moved on to a new role at another company.",
] as const;

/** Friction near a renewal: procurement, legal, approvals. */
export const PUSHBACK_LINES = [
  "Procurement wants to redline the MSA before we can sign the renewal.",
  "Our legal review of the renewal terms is taking longer than expected.",
  "The renewal now needs CFO approval, and she is pushing back on price.",
  "Security review is blocking the renewal paperwork on our side.",
  "Procurement is pushing back on the renewal quote; they want a better rate.",
] as const;

/** Short two-way replies: a stakeholder who is regularly in touch. */
export const FILLER_LINES = [
  "Thanks, see you on Thursday.",
  "Looks good, I'll share it with the team.",
  "Got it, thanks for the quick turnaround.",
  "Sounds good. Let's keep the weekly sync.",
  "Thanks! The team found the last session useful.",
  "Works for me, talk next week.",
] as const;

/** Decoys: must not read as an evaluation (the named ones still name a competitor). */
export const NEGATED_LINES = [
  "We are not looking at other tools right now; things are working well.",
  "No plans to switch vendors, just flagging a small bug.",
  "We considered other options last year but decided to stay with you.",
] as const;
export const NEGATED_NAMED_LINES = [
  "We looked at {c} last year but stayed with you, and we're glad we did.",
  "Not considering {c} at all; the team prefers your reports.",
] as const;
/** Decoys: the ordinary word that is also a competitor's short name, as a word. */
export const ORDINARY_WORD_LINES = [
  "The launch nearly went into a tailspin, but your support team saved the day.",
  "Our pipeline went into a tailspin over the holidays; usage should pick up now.",
] as const;

/** One line from a list, filled. */
export function line(lines: readonly string[], vars: Vars, rng: Rng): string {
  return fill(rng.choice(lines), vars);
}
