import { allowInsecureRequests, ClientSecretBasic, type Configuration, discovery } from "openid-client";
import { AppError } from "../errors.js";
import { tokenHash } from "./tokens.js";

/** The OpenID Connect client Keepwell is, at one issuer. */
export interface OidcClientSettings {
  issuer: string;
  clientId: string;
  /** Sent to the issuer's token endpoint only: never logged, never answered. */
  clientSecret: string;
}

/** Seconds an issuer has to answer a discovery, token or userinfo request. */
const TIMEOUT_S = 10;

/** Names that reach this machine only from itself: the only places an http:// issuer is allowed. */
function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === "localhost" || h === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Why a thrown fetch or discovery error happened, in a few words (never a secret: none is sent here). */
function reasonOf(err: unknown): string {
  const e = err as { cause?: { code?: unknown }; code?: unknown; message?: unknown };
  const code = e?.cause?.code ?? e?.code;
  if (typeof code === "string") return code;
  return typeof e?.message === "string" ? e.message.slice(0, 200) : "unknown error";
}

async function discover(s: OidcClientSettings): Promise<Configuration> {
  let url: URL;
  try {
    url = new URL(s.issuer);
  } catch {
    throw new AppError("bad_request", "KEEPWELL_OIDC_ISSUER is not a URL");
  }
  const insecure = url.protocol === "http:";
  if (insecure && !isLoopbackHost(url.hostname))
    throw new AppError(
      "bad_request",
      "KEEPWELL_OIDC_ISSUER must be an https:// address (http:// is allowed on loopback only)",
    );
  try {
    return await discovery(url, s.clientId, undefined, ClientSecretBasic(s.clientSecret), {
      execute: insecure ? [allowInsecureRequests] : [],
      timeout: TIMEOUT_S,
    });
  } catch (err) {
    throw new AppError(
      "internal",
      `the single sign-on issuer ${url.origin} cannot be reached or is not an OpenID Connect issuer (${reasonOf(err)})`,
    );
  }
}

const cache = new Map<string, Promise<Configuration>>();

/**
 * The issuer's metadata and this client, discovered once per process (and
 * again after a failure, so an issuer that was down is tried anew).
 */
export function oidcConfiguration(s: OidcClientSettings): Promise<Configuration> {
  const key = `${s.issuer}\n${s.clientId}\n${tokenHash(s.clientSecret)}`;
  let found = cache.get(key);
  if (!found) {
    found = discover(s);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}
