/**
 * Ticket wording, assembled from many fragments so no two accounts read
 * alike: a greeting, the problem for the ticket's kind, sentences whose tone
 * follows the account's health (still broken, very frustrated, considering
 * alternatives), sometimes a competitor, and a sign-off.
 */
import { COMPETITORS, INTEGRATIONS } from "./names.js";
import type { Rng } from "./random.js";

export type Tone = "positive" | "neutral" | "negative" | "angry";
export type TicketKind =
  | "how_to"
  | "bug"
  | "billing"
  | "feature_request"
  | "access"
  | "integration"
  | "performance"
  | "cancellation"
  | "escalation";

/** What a text may mention: `{name}` in a fragment is replaced by `vars[name]`. */
export type Vars = Readonly<Record<string, string>>;

/**
 * Phrases that mark unhappy customer text. Tests and the sentiment signal can
 * count them; only negative and angry fragments contain them.
 */
export const NEGATIVE_MARKERS = [
  "still broken",
  "frustrated",
  "considering alternatives",
  "unacceptable",
  "disappointed",
  "third time",
  "waiting for weeks",
  "not renew",
  "cancel",
  "escalat",
  "running out of patience",
  "blocking",
  "doesn't help",
  "expected better",
  "stopped using",
  "whether to renew",
  "trusts the numbers",
  "comparing you against",
  "offering to migrate",
  "barely uses",
] as const;

export function hasNegativeMarker(text: string): boolean {
  const t = text.toLowerCase();
  return NEGATIVE_MARKERS.some((m) => t.includes(m));
}

/** Replaces `{name}` placeholders; `{Name}` capitalizes the value. */
export function fill(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = vars[key] ?? vars[key.toLowerCase()];
    if (value === undefined) return key;
    return key[0] === key[0]!.toUpperCase() && key[0] !== key[0]!.toLowerCase()
      ? value.charAt(0).toUpperCase() + value.slice(1)
      : value;
  });
}

/** The tone of a customer's message given the account's latent health, with noise. */
export function toneFor(health: number, rng: Rng): Tone {
  const x = health + rng.normal(0, 0.12);
  return x >= 0.72 ? "positive" : x >= 0.48 ? "neutral" : x >= 0.3 ? "negative" : "angry";
}

const GREETINGS = [
  "Hi team,",
  "Hello,",
  "Hi support,",
  "Hey there,",
  "Good morning,",
  "Hi all,",
  "Hello support team,",
  "",
  "Hi folks,",
];

const WHEN = ["yesterday", "Monday", "this morning", "the last release", "last week", "the weekend"];
const TASKS = [
  "share a dashboard with another team",
  "schedule a weekly report",
  "bulk update records",
  "set up an approval workflow",
  "export last quarter's data",
  "add a custom field",
  "filter a report by region",
  "give a user read-only access",
  "connect {integration}",
  "duplicate a workflow",
  "set up alerts for overdue items",
];
const WISHES = [
  "custom roles",
  "a dark mode",
  "bulk editing in reports",
  "SSO with {integration}",
  "an audit log",
  "scheduled exports to S3",
  "field-level permissions",
  "timeline views",
  "a native {integration} sync",
  "mobile push alerts",
  "report versioning",
];

interface KindText {
  subjects: readonly string[];
  bodies: readonly string[];
  details?: readonly string[];
}

const KINDS: Readonly<Record<TicketKind, KindText>> = {
  how_to: {
    subjects: [
      "How do I {task}?",
      "Question about {feature}",
      "Best way to {task}",
      "Help setting up {feature}",
      "Quick question on {feature}",
      "Where can I {task}?",
    ],
    bodies: [
      "We're trying to {task} and can't find the option.",
      "Could you point me to the docs on how to {task}?",
      "A new teammate asked how to {task} and I wasn't sure.",
      "Is it possible to {task}? We couldn't figure it out from the help center.",
    ],
    details: [
      "We're on the {plan} plan, if that matters.",
      "I looked through the help articles on {feature} already.",
      "",
    ],
  },
  bug: {
    subjects: [
      "{Feature} not loading",
      "Error when opening {feature}",
      "{Feature} showing wrong numbers",
      "Bug in {feature}",
      "{Feature} broken since {when}",
      "Data missing from {feature}",
      "500 error on {feature}",
    ],
    bodies: [
      "Since {when}, {feature} fails to load for several users.",
      'When we open {feature} we get "Something went wrong".',
      "Numbers in {feature} don't match our source data anymore.",
      "{Feature} stopped saving changes after {when}.",
      "A few of us see a blank page in {feature}.",
    ],
    details: [
      "It happens in Chrome and Firefox.",
      "Clearing the cache did not help.",
      "It affects about {n} users.",
      "Steps to reproduce are below.",
      "",
    ],
  },
  billing: {
    subjects: [
      "Invoice question",
      "Charged twice this month?",
      "Update billing contact",
      "Need a copy of our invoice",
      "Question about our renewal quote",
      "PO number on invoices",
      "Payment method update",
    ],
    bodies: [
      "Our finance team has a question about the latest invoice.",
      "It looks like we were charged twice this month, can you check?",
      "Please update the billing contact to our AP team.",
      "Could you send a copy of last month's invoice with our PO number on it?",
      "The renewal quote is higher than we expected; can someone explain the increase?",
      "Our card expired; how do we update the payment method?",
    ],
  },
  feature_request: {
    subjects: [
      "Feature request: {wish}",
      "Any plans for {wish}?",
      "Can you add {wish}?",
      "Suggestion: {wish}",
      "Request: {wish}",
    ],
    bodies: [
      "It would really help our team to have {wish}.",
      "We'd love to see {wish} on the roadmap.",
      "Our managers keep asking for {wish}.",
      "Is {wish} something you're working on?",
    ],
  },
  access: {
    subjects: [
      "Can't log in",
      "SSO not working for new users",
      "Please add {n} users",
      "Reset two-factor for a teammate",
      "User locked out",
      "Permissions issue",
    ],
    bodies: [
      "A couple of our users can't log in since {when}.",
      "New hires get an error when signing in through SSO.",
      "Could you add {n} new users to our workspace?",
      "One of our team members is locked out after changing phones.",
      "Some users can see records they shouldn't.",
    ],
  },
  integration: {
    subjects: [
      "{integration} sync failing",
      "{integration} integration disconnected",
      "Duplicate records from {integration}",
      "{integration} fields not mapping",
    ],
    bodies: [
      "The {integration} sync has failed every night since {when}.",
      "Our {integration} connection keeps dropping and we have to re-authenticate.",
      "We're seeing duplicate records created from {integration}.",
      "Custom fields from {integration} are not mapping correctly.",
    ],
    details: ["The error log says the token expired.", "We haven't changed anything on our side.", ""],
  },
  performance: {
    subjects: ["{Feature} very slow", "Slow load times", "Timeouts on large reports", "App sluggish today"],
    bodies: [
      "{Feature} takes over a minute to load.",
      "Large reports time out before they finish.",
      "The app has been really sluggish for the whole team since {when}.",
    ],
  },
  cancellation: {
    subjects: [
      "Cancel our subscription",
      "Notice of non-renewal",
      "Please don't auto-renew",
      "Cancellation request",
      "Ending our contract",
    ],
    bodies: [
      "Please treat this as formal notice that we will not renew our subscription.",
      "We'd like to cancel our plan at the end of the current term.",
      "Please turn off auto-renewal for our account; we will not renew.",
      "We have decided to cancel and need to know how to export our data.",
    ],
  },
  escalation: {
    subjects: [
      "Escalation: issue with {feature} still unresolved",
      "URGENT: {feature} down for our team",
      "Need a manager on this",
      "Unresolved ticket, escalating",
    ],
    bodies: [
      "We've had an open issue with {feature} for weeks and no resolution.",
      "This is the third ticket about {feature} and it is still broken.",
      "Our leadership is asking why {feature} still doesn't work. We need this escalated.",
    ],
  },
};

const TONE_LINES: Readonly<Record<Tone, readonly string[]>> = {
  positive: [
    "Thanks so much for the quick help last time!",
    "Really enjoying the new release, by the way.",
    "No rush on this one.",
    "Appreciate your help as always.",
    "The team loves the product, we just want to get this right.",
    "Thanks in advance!",
  ],
  neutral: [
    "Could you take a look when you get a chance?",
    "Let me know if you need more details.",
    "Screenshots attached.",
    "Happy to jump on a call if that helps.",
    "Please advise.",
    "",
  ],
  negative: [
    "This is still broken after the last fix.",
    "We are very frustrated with how long this is taking.",
    "This is the third time we have reported this.",
    "Our team has stopped using {feature} because of this.",
    "This is blocking our month-end reporting.",
    "Honestly disappointed with the response time.",
    "We expected better for what we pay.",
    "The workaround you suggested doesn't help.",
    "This keeps happening.",
    "Can someone actually look at this properly?",
    "Same problem as last month.",
  ],
  angry: [
    "This is unacceptable.",
    "We are considering alternatives.",
    "Leadership is questioning whether to renew.",
    "If this isn't fixed by {weekday} we will escalate.",
    "We have been waiting for weeks with no real answer.",
    "Nobody on our team trusts the numbers anymore.",
    "Frankly, we are running out of patience.",
    "We need a real answer, not another workaround.",
    "I have asked about this several times now.",
  ],
};

const COMPETITOR_LINES = [
  "{competitor} has this out of the box.",
  "We're comparing you against {competitor} right now.",
  "A few of our users prefer how {competitor} handles this.",
  "Is this on the roadmap? {competitor} already has it.",
  "{competitor} reached out offering to migrate us for free.",
];
const FEATURE_GAP_LINES = [
  "Can you add {wish}, the way {competitor} has it?",
  "We need {wish} like {competitor} has.",
];

const CLOSINGS: Readonly<Record<Tone, readonly string[]>> = {
  positive: ["Cheers,", "Thanks!", "Best,", "Many thanks,"],
  neutral: ["Thanks,", "Best regards,", "Regards,", "Best,"],
  negative: ["Regards,", "Waiting for your reply.", "Please prioritize.", ""],
  angry: ["Regards,", "Expecting a response today.", ""],
};

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

export interface TicketContext {
  feature: string;
  competitor: string;
  plan: string;
  /** The sender's first name, for the sign-off. */
  sender: string;
  /** Why they cancel, for cancellation tickets. */
  reason?: string;
  mentionCompetitor: boolean;
}

/** A ticket's subject and body. */
export function ticketText(
  kind: TicketKind,
  tone: Tone,
  ctx: TicketContext,
  rng: Rng,
): { subject: string; body: string } {
  const vars: Vars = {
    feature: ctx.feature,
    competitor: ctx.competitor,
    plan: ctx.plan,
    integration: rng.choice(INTEGRATIONS),
    when: rng.choice(WHEN),
    n: String(rng.int(2, 12)),
    weekday: rng.choice(WEEKDAYS),
  };
  const text = KINDS[kind];
  const v: Vars = { ...vars, task: fill(rng.choice(TASKS), vars), wish: fill(rng.choice(WISHES), vars) };
  const parts: string[] = [rng.choice(GREETINGS), rng.choice(text.bodies)];
  if (text.details && rng.bool(0.6)) parts.push(rng.choice(text.details));
  if (kind === "cancellation" && ctx.reason) parts.push(ctx.reason);
  const toneLines = TONE_LINES[tone];
  const lines = tone === "angry" ? 2 : tone === "negative" ? rng.int(1, 2) : 1;
  for (const line of rng.sample(toneLines, lines)) parts.push(line);
  if (ctx.mentionCompetitor) {
    parts.push(
      kind === "feature_request" && rng.bool(0.6)
        ? rng.choice(FEATURE_GAP_LINES)
        : rng.choice(COMPETITOR_LINES),
    );
  }
  parts.push(rng.choice(CLOSINGS[tone]), ctx.sender);
  return {
    subject: fill(rng.choice(text.subjects), v),
    body: fill(parts.filter((p) => p !== "").join("\n"), v),
  };
}

/** A competitor other than the account's usual one, now and then. */
export function someCompetitor(usual: string, rng: Rng): string {
  return rng.bool(0.8) ? usual : rng.choice(COMPETITORS);
}
