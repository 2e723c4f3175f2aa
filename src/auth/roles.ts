/** What a person may do, from most to least. */
export const ROLES = ["admin", "executive", "leader", "csm", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** What a machine's API key may do. */
export const SCOPES = ["read", "ingest", "write", "admin"] as const;
export type Scope = (typeof SCOPES)[number];

export function isRole(v: unknown): v is Role {
  return typeof v === "string" && (ROLES as readonly string[]).includes(v);
}

export function isScope(v: unknown): v is Scope {
  return typeof v === "string" && (SCOPES as readonly string[]).includes(v);
}
