/**
 * The simulated vendor's competitors (fictional), with the short names
 * customers use for them. The demo and the signals bench configure exactly
 * these (competitors table); the simulator's text names them.
 */
export interface SimCompetitor {
  name: string;
  aliases: string[];
}

export const SIGNAL_COMPETITORS: readonly SimCompetitor[] = [
  { name: "Northwind Analytics", aliases: ["Northwind"] },
  { name: "Contoso Insights", aliases: ["Contoso"] },
  { name: "Fabrikam Cloud", aliases: ["Fabrikam"] },
  // "tailspin" is also an ordinary word: the decoys use it as one.
  { name: "Tailspin Metrics", aliases: ["Tailspin"] },
];

/** The word an ordinary-English decoy uses (lowercase, never as a name). */
export const ORDINARY_WORD_ALIAS = "tailspin";

/** How a customer writes a competitor's name: the full name or a short one. */
export function spokenName(name: string, short: boolean): string {
  const c = SIGNAL_COMPETITORS.find((x) => x.name === name);
  return short && c && c.aliases.length > 0 ? c.aliases[0]! : name;
}
