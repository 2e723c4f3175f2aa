/**
 * Segments and owners as groups: accounts with none are grouped under
 * NO_GROUP, and the same name given back as a filter selects them, so every
 * group the portfolio lists can be opened.
 */

/** The group name of accounts with no segment (or no owner). */
export const NO_GROUP = "(none)";

/** `column` as a group name (NO_GROUP for null), for SELECT lists. */
export function groupName(column: string): string {
  return `coalesce(${column}, '${NO_GROUP}')`;
}

/** A WHERE condition matching accounts in group `value` of `column`; pushes its parameter onto `params`. */
export function groupMatch(column: string, value: string, params: unknown[]): string {
  if (value === NO_GROUP) return `${column} IS NULL`;
  params.push(value);
  return `${column} = $${params.length}`;
}
