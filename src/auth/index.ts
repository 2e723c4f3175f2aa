export { canChangeAccount } from "./account-access.js";
export { createKey, keyPrincipal, listKeys, revokeKey } from "./api-keys.js";
export { type AuditEntry, type AuditQuery, audit, listAudit } from "./audit.js";
export { consumeLink, createLink, type LinkPurpose, peekLink } from "./links.js";
export { listOwners, mapOwner, type OwnerResolution, ownerUserIdSql } from "./owners.js";
export { passwordProblem } from "./passwords.js";
export { allows, isPermission, PERMISSIONS, type Permission } from "./permissions.js";
export { type Actor, type ApiKey, actorOf, type Principal, type User } from "./principal.js";
export { isRole, isScope, ROLES, type Role, SCOPES, type Scope } from "./roles.js";
export { missingKeyBox, type SecretBox, secretBox, secretBoxFor } from "./secret-box.js";
export { createSession, endSession, type NewSession, SESSION_DAYS, sessionPrincipal } from "./sessions.js";
export { LOCKOUT, type SignInResult, signInWithPassword } from "./sign-in.js";
export { matchesHash, tokenHash } from "./tokens.js";
export {
  countUsers,
  createUser,
  findUserByEmail,
  getUser,
  listUsers,
  type NewUser,
  setPassword,
  teamOf,
  type UserPatch,
  updateUser,
} from "./users.js";
