import type { Principal } from "./principal.js";
import { ROLES, type Role, type Scope } from "./roles.js";

/**
 * The permission table: every permission, the roles that hold it and the key
 * scopes that grant it. Written once, as data; every route names one of these
 * (src/api/route-permissions.ts) and its check is derived from here.
 */
export const PERMISSIONS = {
  /** Read facts, scores, insights, the model: everyone signed in; keys with read. */
  read: { roles: ROLES, scopes: ["read"] },
  /** Send facts (POST /api/v1/<entity>): admins; keys with ingest. */
  ingest: { roles: ["admin"], scopes: ["ingest"] },
  /** Change what an account's team does (tasks, outcomes, notes): see canChangeAccount for which accounts. */
  "account.write": { roles: ["admin", "leader", "csm"], scopes: ["write"] },
  /** Change plays (acknowledge, snooze, reassign, close…): which ones, see canChangePlay — an executive only their own. */
  "plays.write": { roles: ["admin", "executive", "leader", "csm"], scopes: ["write"] },
  /** Start a scoring run by hand, rescore with a new scorecard. */
  "scores.run": { roles: ["admin"], scopes: [] },
  /** Change the scorecard (and, later, playbooks and settings). */
  "settings.write": { roles: ["admin"], scopes: [] },
  /** Add, change and deactivate users; map account owners to users. */
  "users.manage": { roles: ["admin"], scopes: [] },
  /** Create and revoke API keys. */
  "keys.manage": { roles: ["admin"], scopes: [] },
  /** Notification settings (SMTP, Slack channels, budgets), webhook endpoints and REST hooks, deliveries and dead letters. */
  "notify.manage": { roles: ["admin"], scopes: [] },
  /** Zapier-style REST hooks (POST/DELETE /api/v1/hooks): a key that may read may have what it reads pushed to it. */
  hooks: { roles: ["admin"], scopes: ["read"] },
  /** Read the audit log. */
  "audit.read": { roles: ["admin", "leader"], scopes: [] },
  /** The signed-in person's own session (who am I, sign out): people only, never keys. */
  self: { roles: ROLES, scopes: [] },
} as const satisfies Record<string, { roles: readonly Role[]; scopes: readonly Scope[] }>;

export type Permission = keyof typeof PERMISSIONS;

export function isPermission(v: unknown): v is Permission {
  return typeof v === "string" && Object.hasOwn(PERMISSIONS, v);
}

/**
 * Whether `who` holds `permission`. A key with the `admin` scope holds every
 * permission a key can hold (all but `self`); an inactive user holds none.
 */
export function allows(who: Principal, permission: Permission): boolean {
  const p = PERMISSIONS[permission];
  if (who.kind === "user") return who.user.active && (p.roles as readonly Role[]).includes(who.user.role);
  if (permission === "self") return false;
  return who.key.scopes.some((s) => s === "admin" || (p.scopes as readonly Scope[]).includes(s));
}
