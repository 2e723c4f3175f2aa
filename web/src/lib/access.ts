/**
 * Who may do what, for showing people only the pages and controls they can
 * use: a mirror of the server's permission table (src/auth/permissions.ts),
 * roles only (the dashboard is used by people, never keys). The server still
 * decides every request; the type check below fails the build when this copy
 * and the server's table drift apart.
 */
import type { PERMISSIONS } from "../../../src/auth/permissions.js";
import type { Role } from "../../../src/auth/roles.js";
import type { User } from "./types";

export type Permission = keyof typeof PERMISSIONS;
const EVERYONE = ["admin", "executive", "leader", "csm", "viewer"] as const satisfies readonly Role[];

export const ROLES_WITH = {
  read: EVERYONE,
  ingest: ["admin"],
  "account.write": ["admin", "leader", "csm"],
  "plays.write": ["admin", "executive", "leader", "csm"],
  "scores.run": ["admin"],
  "settings.write": ["admin"],
  "users.manage": ["admin"],
  "keys.manage": ["admin"],
  "notify.manage": ["admin"],
  hooks: ["admin"],
  "audit.read": ["admin", "leader"],
  self: EVERYONE,
} as const satisfies Record<Permission, readonly Role[]>;

// Both ways: every role the server names is here, and nothing else.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const mirrors: {
  [P in Permission]: Same<(typeof ROLES_WITH)[P][number], (typeof PERMISSIONS)[P]["roles"][number]>;
} = {
  read: true,
  ingest: true,
  "account.write": true,
  "plays.write": true,
  "scores.run": true,
  "settings.write": true,
  "users.manage": true,
  "keys.manage": true,
  "notify.manage": true,
  hooks: true,
  "audit.read": true,
  self: true,
};
void mirrors;

export const ROLE_LABEL: Record<Role, string> = {
  admin: "Admin",
  executive: "Executive",
  leader: "Leader",
  csm: "CSM",
  viewer: "Viewer",
};
export const ROLES: readonly Role[] = EVERYONE;

/** Whether the signed-in person holds `permission` (an inactive user holds none). */
export function can(user: Pick<User, "role" | "active"> | null | undefined, permission: Permission): boolean {
  return !!user && user.active && (ROLES_WITH[permission] as readonly Role[]).includes(user.role);
}
