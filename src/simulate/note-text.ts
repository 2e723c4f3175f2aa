/**
 * Wording for CSM notes, emails, calls and chats in both directions, meeting
 * summaries, and NPS comments. The customer's side follows the account's
 * tone; the CSM's side follows what is going on (renewal, silence, risk).
 */

import type { Rng } from "./random.js";
import { fill, type Tone, type Vars } from "./text.js";

export type NoteTopic =
  | "check_in"
  | "no_reply"
  | "renewal"
  | "ticket_follow_up"
  | "release"
  | "expansion"
  | "reply"
  | "question"
  | "praise"
  | "complaint"
  | "discount"
  | "acquisition"
  | "budget_freeze"
  | "champion_leaving"
  | "champion_handover"
  | "internal_healthy"
  | "internal_risk"
  | "meeting";

const NOTES: Readonly<Record<NoteTopic, readonly string[]>> = {
  check_in: [
    "Checking in on how the rollout of {feature} is going.",
    "Quick check-in: anything we can help with this month?",
    "Sharing a few tips on {feature} that similar teams found useful.",
    "Following up on our last call with the notes and next steps.",
    "Hi {first}, hope all is well. Any blockers I can help remove?",
  ],
  no_reply: [
    "Following up on my last email; would love to find 30 minutes.",
    "Trying again to set up our quarterly review.",
    "Haven't heard back; is there a better person to talk to about the account?",
    "Left a voicemail, no answer. Will try again next week.",
  ],
  renewal: [
    "Sending over the renewal proposal for the upcoming term.",
    "Your renewal is coming up on {date}; can we schedule time to review?",
    "Attached is the renewal quote we discussed.",
  ],
  ticket_follow_up: [
    "Following up on the open support issue with {feature}; engineering has a fix scheduled.",
    "Wanted to make sure the issue with {feature} is resolved on your side.",
  ],
  release: [
    "Wanted to flag this month's improvements to {feature}.",
    "Invitation: webinar on what's new in {feature}.",
  ],
  expansion: [
    "Following up on adding seats for the {team} team.",
    "Sending the quote for {n} additional seats.",
  ],
  reply: [
    "Thanks, that works for us.",
    "Sounds good, talk then.",
    "Thanks for the follow-up. We'll review internally.",
    "Appreciate it, the team will take a look.",
  ],
  question: [
    "Who should we talk to about the {integration} integration?",
    "Can we get a training session for new hires next month?",
    "Is there a way to get usage reports per team?",
    "Could you send the slides from the last review?",
  ],
  praise: [
    "Thanks for the session yesterday, very helpful.",
    "The team is loving {feature}.",
    "Quick note to say the new release is great.",
    "We just hit our quarterly goal, and {feature} was a big part of it.",
  ],
  complaint: [
    "We're still waiting on a fix for {feature}.",
    "Honestly, the last month has been rough with all the issues.",
    "We need to talk about pricing before the renewal.",
    "Our VP asked me to look at other options, including {competitor}.",
    "Usage has dropped because people don't trust {feature} anymore.",
  ],
  discount: [
    "Budgets are tight this year; we'll need a better price to renew.",
    "Can you do anything on price? Finance is pushing back on the renewal.",
  ],
  acquisition: [
    "Heads up: we've been acquired by {acquirer}. Not sure yet what it means for our tools.",
    "FYI, the acquisition by {acquirer} closed. IT is reviewing all vendors.",
  ],
  budget_freeze: [
    "Our finance team just froze all new software spend and is reviewing every vendor.",
    "We're under a cost-cutting program this quarter; all renewals need CFO approval.",
  ],
  champion_leaving: [
    "I'm leaving the company at the end of the month. Not sure yet who will own this.",
    "Personal news: I've accepted a role elsewhere. My last day is in two weeks.",
  ],
  champion_handover: [
    "Introducing {name}, who takes over as your main contact from today.",
    "Hi, I'm {name} and I'll be running the tool on our side from now on.",
  ],
  internal_healthy: [
    "Account looks healthy; usage steady and the team is engaged.",
    "Good call with {first}; they are planning to roll out to another team.",
    "No open issues. Renewal looks safe.",
  ],
  internal_risk: [
    "Usage down noticeably this month; flagging for review.",
    "Champion not responding; escalating to my manager.",
    "Customer mentioned {competitor} on the call.",
    "Renewal risk: budget pressure and low adoption.",
    "Exec sponsor skipped the last two meetings.",
  ],
  meeting: [
    "Reviewed adoption and goals for next quarter.",
    "Discussed open tickets and the roadmap.",
    "Walked through best practices for {feature}.",
    "Agreed on success criteria and next steps.",
  ],
};

export function noteText(topic: NoteTopic, vars: Vars, rng: Rng): string {
  return fill(rng.choice(NOTES[topic]), vars);
}

const NPS_COMMENTS: Readonly<Record<"promoter" | "passive" | "detractor", readonly string[]>> = {
  promoter: [
    "Great product, the dashboards save us hours every week.",
    "Support is fast and friendly.",
    "Workflows changed how our team operates.",
    "Easy to use and the team adopted it quickly.",
    "Our CSM is fantastic.",
    "Reliable, and it keeps getting better.",
  ],
  passive: [
    "Good overall, but reporting could be more flexible.",
    "Solid tool; a few rough edges in {feature}.",
    "Does the job. Pricing is a bit high.",
    "Would like better {integration} support.",
    "Fine, but the last few releases felt slow.",
  ],
  detractor: [
    "Too many bugs lately.",
    "Support takes days to respond.",
    "Hard to justify the price.",
    "{competitor} offers more for less.",
    "Our team barely uses it anymore.",
    "Missing basic features we asked for months ago.",
    "Performance has gotten worse.",
    "Very frustrated with the recent changes.",
  ],
};

export function npsComment(score: number, vars: Vars, rng: Rng): string {
  const bucket = score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
  return fill(rng.choice(NPS_COMMENTS[bucket]), vars);
}

/** Which customer-side topic an unprompted inbound message has, given its tone. */
export function inboundTopic(tone: Tone, rng: Rng): NoteTopic {
  switch (tone) {
    case "positive":
      return rng.weighted(["praise", "question", "reply"] as const, [0.45, 0.35, 0.2]);
    case "neutral":
      return rng.weighted(["question", "reply", "praise"] as const, [0.5, 0.4, 0.1]);
    case "negative":
      return rng.weighted(["complaint", "question", "reply"] as const, [0.6, 0.25, 0.15]);
    case "angry":
      return rng.weighted(["complaint", "discount"] as const, [0.8, 0.2]);
  }
}
