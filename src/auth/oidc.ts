import {
  AuthorizationResponseError,
  authorizationCodeGrant,
  buildAuthorizationUrl,
  calculatePKCECodeChallenge,
  fetchUserInfo,
  randomNonce,
  randomPKCECodeVerifier,
  randomState,
} from "openid-client";
import { AppError } from "../errors.js";
import type { Db } from "../store/index.js";
import {
  auditRefusal,
  type OidcProfile,
  type OidcRefusal,
  type OidcSignInResult,
  refusal,
  signInVerified,
} from "./oidc-account.js";
import { type OidcClientSettings, oidcConfiguration } from "./oidc-discovery.js";
import { safeReturnPath } from "./return-path.js";
import type { Role } from "./roles.js";
import { matchesHash, tokenHash } from "./tokens.js";

export type { OidcRefusal, OidcSignInResult } from "./oidc-account.js";

/** How long a sign-in may take at the identity provider before its state is no good. */
export const OIDC_LOGIN_MINUTES = 10;

export interface OidcSettings extends OidcClientSettings {
  /** The role of a user created at their first sign-on; none: only existing users may sign in. */
  defaultRole?: Role;
  /** `${publicUrl}/auth/oidc/callback`, as registered at the issuer. */
  redirectUri: string;
}

/** Who finishes a sign-in: their address, and the state their browser kept when they started it. */
export interface OidcBrowser {
  ip: string | null;
  /** From the browser's own cookie: a callback must come back to the browser that started it (no login CSRF). */
  startedState: string | undefined;
}

export interface OidcSignIn {
  /**
   * Starts a sign-in: remembers its state (hashed), PKCE verifier and nonce
   * and where to come back to; answers the issuer's URL to go to, and the
   * state for the browser to keep until it comes back.
   */
  beginLogin(db: Db, now: Date, next?: string): Promise<{ url: URL; state: string }>;
  /** Finishes one at the URL the issuer sent the person back to (the state works once, for 10 minutes). */
  finishLogin(
    db: Db,
    callbackUrl: URL,
    now: Date,
    browser: OidcBrowser,
  ): Promise<(OidcSignInResult & { ok: true; returnTo: string }) | OidcRefusal>;
}

const EXPIRED = "this sign-in has expired or was used already: sign in again";
const ELSEWHERE = "this sign-in was started in another browser or tab: sign in again";

/** The provider's error code as the person may read it (an error code is a short ASCII word). */
function providerError(err: AuthorizationResponseError): OidcRefusal {
  const code = /^[\w.-]{1,60}$/.test(err.error) ? err.error : "error";
  return refusal("provider_error", `the identity provider refused the sign-in (${code})`, err);
}

/** OpenID Connect sign-in (authorization code flow with PKCE, state and nonce) against one issuer. */
export function oidcSignIn(settings: OidcSettings): OidcSignIn {
  const lifetimeMs = OIDC_LOGIN_MINUTES * 60_000;

  async function exchange(
    callbackUrl: URL,
    state: string,
    row: { code_verifier: string; nonce: string },
  ): Promise<{ ok: true; profile: OidcProfile } | OidcRefusal> {
    let config: Awaited<ReturnType<typeof oidcConfiguration>>;
    try {
      config = await oidcConfiguration(settings);
    } catch (err) {
      return refusal("issuer_unreachable", (err as Error).message, err);
    }
    try {
      const tokens = await authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: row.code_verifier,
        expectedNonce: row.nonce,
        expectedState: state,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) return refusal("no_id_token", "the identity provider sent no ID token");
      if (typeof claims.email === "string" && claims.email_verified !== undefined)
        return { ok: true, profile: claims };
      // Claims the ID token leaves out (a conforming issuer may) are at the userinfo endpoint.
      const info = await fetchUserInfo(config, tokens.access_token, claims.sub);
      return { ok: true, profile: { ...info, sub: claims.sub } };
    } catch (err) {
      if (err instanceof AuthorizationResponseError) return providerError(err);
      return refusal(
        "exchange_failed",
        "the identity provider's answer could not be checked: sign in again",
        err,
      );
    }
  }

  return {
    async beginLogin(db, now, next) {
      const config = await oidcConfiguration(settings);
      const state = randomState();
      const verifier = randomPKCECodeVerifier();
      const nonce = randomNonce();
      await db.transaction(async (tx) => {
        await tx.query("DELETE FROM oidc_logins WHERE created_at < $1", [
          new Date(now.getTime() - lifetimeMs).toISOString(),
        ]);
        await tx.query(
          "INSERT INTO oidc_logins (state_hash, code_verifier, nonce, return_to, created_at) VALUES ($1, $2, $3, $4, $5)",
          [tokenHash(state), verifier, nonce, safeReturnPath(next), now.toISOString()],
        );
      });
      const url = buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUri,
        scope: "openid email profile",
        response_type: "code",
        code_challenge: await calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
      });
      return { url, state };
    },

    async finishLogin(db, callbackUrl, now, { ip, startedState }) {
      const state = callbackUrl.searchParams.get("state");
      // Someone else's answer (a link to their callback) is refused before it uses anything up.
      if (state && !(startedState && matchesHash(state, tokenHash(startedState))))
        return db.transaction((tx) => auditRefusal(tx, refusal("other_browser", ELSEWHERE), { ip }));
      // The row is used up before anything else, so a state works once whatever happens next.
      const [row] = state
        ? await db.query<{ code_verifier: string; nonce: string; return_to: string; created_at: string }>(
            "DELETE FROM oidc_logins WHERE state_hash = $1 RETURNING code_verifier, nonce, return_to, created_at",
            [tokenHash(state)],
          )
        : [];
      const fresh = row && now.getTime() - new Date(row.created_at).getTime() <= lifetimeMs;
      const got = state && row && fresh ? await exchange(callbackUrl, state, row) : refusal("state", EXPIRED);
      if (!got.ok) return db.transaction((tx) => auditRefusal(tx, got, { ip }));
      const { profile } = got;
      try {
        const result = await db.transaction((tx) =>
          signInVerified(tx, profile, settings.defaultRole, now, ip),
        );
        return result.ok ? { ...result, returnTo: safeReturnPath(row?.return_to) } : result;
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // A new user the store would not take (a malformed email, the same email added a moment ago).
        const r = refusal("user_not_created", `you could not be added: ${err.message}`, err);
        const email = typeof profile.email === "string" ? profile.email : undefined;
        return db.transaction((tx) => auditRefusal(tx, r, { email, ip }));
      }
    },
  };
}
