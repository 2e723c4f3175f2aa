import { generateKeyPairSync, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
// @ts-expect-error oidc-provider 8 ships no type definitions: OidcProvider below types what this file uses
import Provider from "oidc-provider";

/** A person at the identity provider: signs in there with their id and ISSUER_PASSWORD. */
export interface IssuerAccount {
  email: string;
  email_verified: boolean;
  name?: string;
}

export const ISSUER_PASSWORD = "correct horse battery staple";

/** The issuer's people: verified emails and an unverified one, one without a name. */
export const ISSUER_ACCOUNTS: Record<string, IssuerAccount> = {
  alice: { email: "Alice@Example.com", email_verified: true, name: "Alice Example" },
  nadia: { email: "nadia.new@example.com", email_verified: true, name: "Nadia New" },
  quiet: { email: "quiet@example.com", email_verified: true },
  mallory: { email: "mallory@example.com", email_verified: false, name: "Mallory" },
  gone: { email: "gone@example.com", email_verified: true, name: "Gone Away" },
  stranger: { email: "stranger@example.com", email_verified: true, name: "A Stranger" },
};

interface Grant {
  addOIDCScope(scope: string): void;
  addOIDCClaims(claims: string[]): void;
  save(): Promise<string>;
}
interface Interaction {
  uid: string;
  prompt: { name: string; details: { missingOIDCScope?: string[]; missingOIDCClaims?: string[] } };
  params: { client_id: string };
  session?: { accountId: string };
  grantId?: string;
}
/** The part of oidc-provider's Provider this file uses. */
interface OidcProvider {
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
  interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
  interactionFinished(
    req: IncomingMessage,
    res: ServerResponse,
    result: Record<string, unknown>,
    opts: { mergeWithLastSubmission: boolean },
  ): Promise<void>;
  Grant: {
    new (o: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  };
}

export interface Issuer {
  /** The issuer identifier (KEEPWELL_OIDC_ISSUER). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Completes the provider's side of a sign-in over HTTP, as a browser would:
   * from Keepwell's redirect to the provider, through its login and consent
   * forms, to the URL it sends the person back to (Keepwell's callback), which
   * is returned without being requested.
   */
  authorize(authorizationUrl: string, login: string, password?: string): Promise<URL>;
  close(): Promise<void>;
}

/** `n` distinct free ports on 127.0.0.1 (to know a server's address before it listens). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => {
      const s = createServer();
      return new Promise<Server>((resolve) => s.listen(0, "127.0.0.1", () => resolve(s)));
    }),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** Cookies as a browser keeps them for one site (by name and path), for driving a sign-in over HTTP. */
class CookieJar {
  private cookies = new Map<string, { value: string; path: string }>();

  async fetch(url: URL, form?: URLSearchParams): Promise<Response> {
    const cookie = [...this.cookies.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.replace(/\/?$/, "/")))
      .map(([key, c]) => `${key.split("\n")[0]}=${c.value}`)
      .join("; ");
    const res = await fetch(url, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      body: form,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((p) => p.trim());
      const eq = pair.indexOf("=");
      const attr = (name: string) => attrs.find((a) => a.toLowerCase().startsWith(`${name}=`))?.split("=")[1];
      const path = attr("path") ?? "/";
      const key = `${pair.slice(0, eq)}\n${path}`;
      const expires = attr("expires");
      const gone = attr("max-age") === "0" || (expires !== undefined && Date.parse(expires) < Date.now());
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, { value: pair.slice(eq + 1), path });
    }
    return res;
  }
}

/** The provider's storage, in memory and its own (oidc-provider's default is shared by every instance). */
function memoryAdapter() {
  const store = new Map<string, { payload: Record<string, unknown>; expires: number }>();
  const live = (key: string) => {
    const e = store.get(key);
    if (e && e.expires < Date.now()) store.delete(key);
    return e && e.expires >= Date.now() ? e.payload : undefined;
  };
  const findBy = (model: string, field: string, value: unknown) => {
    for (const [k, e] of store) if (k.startsWith(`${model}:`) && e.payload[field] === value) return live(k);
    return undefined;
  };
  return class MemoryAdapter {
    constructor(readonly model: string) {}
    async upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      store.set(`${this.model}:${id}`, {
        payload,
        expires: expiresIn ? Date.now() + expiresIn * 1000 : Infinity,
      });
    }
    async find(id: string) {
      return live(`${this.model}:${id}`);
    }
    async findByUid(uid: string) {
      return findBy(this.model, "uid", uid);
    }
    async findByUserCode(userCode: string) {
      return findBy(this.model, "userCode", userCode);
    }
    async consume(id: string) {
      const p = live(`${this.model}:${id}`);
      if (p) p.consumed = Math.floor(Date.now() / 1000);
    }
    async destroy(id: string) {
      store.delete(`${this.model}:${id}`);
    }
    async revokeByGrantId(grantId: string) {
      for (const [k, e] of store) if (e.payload.grantId === grantId) store.delete(k);
    }
  };
}

/** The provider's artifacts live 10 minutes (set, so that it does not warn of its defaults). */
const TTLS = ["AccessToken", "IdToken", "Interaction", "Session", "Grant"];

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="icon" href="data:,"></head><body><h1>${title}</h1>${body}</body></html>`;
const loginForm = (uid: string, error?: string) =>
  page(
    "Sign in to the test issuer",
    `<form method="post" action="/interaction/${esc(uid)}/login" data-prompt="login">
${error ? `<p role="alert">${esc(error)}</p>` : ""}
<label>Username <input name="login" autocomplete="username" autofocus></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>`,
  );
const consentForm = (uid: string, clientId: string) =>
  page(
    "Allow access",
    `<form method="post" action="/interaction/${esc(uid)}/confirm" data-prompt="consent">
<p>Allow <strong>${esc(clientId)}</strong> to know your email address and name?</p>
<button type="submit">Allow</button></form>`,
  );

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

/**
 * A real OpenID Connect provider (oidc-provider 8) on 127.0.0.1 with one
 * confidential client (PKCE required), the accounts above, and minimal login
 * and consent pages of its own (no development-only interactions). With
 * `claimsInIdToken` the ID token carries email and name; without it, as a
 * conforming provider does, only the userinfo endpoint does.
 */
export async function startIssuer(opts: {
  redirectUris: string[];
  accounts?: Record<string, IssuerAccount>;
  claimsInIdToken?: boolean;
}): Promise<Issuer> {
  const accounts = opts.accounts ?? ISSUER_ACCOUNTS;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "keepwell-test";
  const clientSecret = randomBytes(24).toString("base64url");
  const jwk = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  const provider: OidcProvider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { methods: ["S256"], required: () => true },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    conformIdTokenClaims: !opts.claimsInIdToken,
    cookies: { keys: [randomBytes(32).toString("hex")] },
    jwks: { keys: [{ ...jwk, kid: "test-key", use: "sig", alg: "RS256" }] },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AuthorizationCode: 60, ...Object.fromEntries(TTLS.map((k) => [k, 600])) },
    findAccount: (_ctx: unknown, id: string) => {
      const a = accounts[id];
      return a && { accountId: id, claims: () => ({ sub: id, ...a }) };
    },
  });
  const oidc = provider.callback();

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action?: string) {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error("this is not the interaction in progress");
    const html = (body: string) => {
      res
        .writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" })
        .end(body);
    };
    if (!action || req.method === "GET")
      return html(
        details.prompt.name === "login" ? loginForm(uid) : consentForm(uid, details.params.client_id),
      );
    const body = await formBody(req);
    if (action === "login") {
      const login = body.get("login") ?? "";
      if (!accounts[login] || body.get("password") !== ISSUER_PASSWORD)
        return html(loginForm(uid, "wrong username or password"));
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: login } },
        { mergeWithLastSubmission: false },
      );
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id });
    if (!grant) throw new Error("the grant has gone");
    if (details.prompt.details.missingOIDCScope)
      grant.addOIDCScope(details.prompt.details.missingOIDCScope.join(" "));
    if (details.prompt.details.missingOIDCClaims)
      grant.addOIDCClaims(details.prompt.details.missingOIDCClaims);
    const result = { consent: { grantId: await grant.save() } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
  }

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const m = /^\/interaction\/([\w-]+)(?:\/(login|confirm))?$/.exec(
      new URL(req.url ?? "/", issuer).pathname,
    );
    if (!m) return oidc(req, res);
    interaction(req, res, m[1]!, m[2]).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
      res.end(`interaction failed: ${err.message}`);
    });
  });

  async function authorize(
    authorizationUrl: string,
    login: string,
    password = ISSUER_PASSWORD,
  ): Promise<URL> {
    const jar = new CookieJar();
    let next = new URL(authorizationUrl);
    for (let hop = 0; hop < 20; hop++) {
      if (next.origin !== issuer) return next;
      const res = await jar.fetch(next);
      if (res.status >= 300 && res.status < 400) {
        next = new URL(res.headers.get("location")!, next);
        continue;
      }
      const text = await res.text();
      if (res.status !== 200)
        throw new Error(`the issuer answered ${res.status} at ${next.pathname}: ${text}`);
      const form = /<form method="post" action="([^"]+)" data-prompt="(\w+)"/.exec(text);
      if (!form) throw new Error(`no form at ${next.pathname}`);
      const fields: Record<string, string> = form[2] === "login" ? { login, password } : {};
      const posted = await jar.fetch(new URL(form[1]!, next), new URLSearchParams(fields));
      if (posted.status !== 303) throw new Error(`the ${form[2]} form was refused: ${await posted.text()}`);
      next = new URL(posted.headers.get("location")!, next);
    }
    throw new Error("too many redirects at the issuer");
  }

  return {
    issuer,
    clientId,
    clientSecret,
    authorize,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
