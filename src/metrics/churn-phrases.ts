/**
 * Wording that states an intent to leave, for the churn notice signal: a short
 * list of PostgreSQL regular expression fragments, matched case-insensitively
 * against ticket subjects and bodies and against notes that are not outbound.
 * Kept narrow on purpose (the signal makes an account critical): doubt
 * ("questioning whether to renew", "considering alternatives") is not notice.
 *
 * Regular expressions are slow on long text, so a text is first checked for
 * one of CHURN_KEYWORDS (a plain LIKE): every phrase contains one of them.
 */
export const CHURN_PHRASES: readonly string[] = [
  "\\mnot (?:be )?renew",
  "\\mwon.t (?:be )?renew",
  "\\mnon-?renewal",
  "\\m(?:don.t|do not|not to) auto-?renew",
  "\\mturn off auto-?renew",
  "\\mcancel(?:l?ing)? (?:our|the|my) (?:subscription|plan|contract|account|licen[cs]e)",
  "\\mdecided to cancel",
  "\\mcancellation (?:request|notice)",
  "\\mterminat(?:e|ing) (?:our|the) (?:contract|subscription|agreement)",
  "\\mend(?:ing)? our (?:contract|subscription)",
  "\\m(?:we are|we.re|we will be|we.ve decided to|we have decided to|we decided to) (?:moving|switching|migrating|move|switch|migrate) to\\M(?! (?:a|an|the|our|new|next)\\M)",
];

/** Lower-case fragments, one of which every churn phrase contains. */
export const CHURN_KEYWORDS: readonly string[] = [
  "renew",
  "cancel",
  "terminat",
  "our contract",
  "our subscription",
  "mov",
  "switch",
  "migrat",
];

/** One pattern whose first capture group is the matched phrase. */
export const CHURN_PATTERN = `(${CHURN_PHRASES.join("|")})`;

/** LIKE patterns for CHURN_KEYWORDS, for `lower(text) LIKE ANY(...)`. */
export const CHURN_LIKE: readonly string[] = CHURN_KEYWORDS.map((k) => `%${k}%`);
