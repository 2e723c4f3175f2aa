import type { Page } from "playwright-core";
import { buildServer } from "../../src/api/index.js";
import type { Role } from "../../src/auth/index.js";
import type { Db } from "../../src/store/index.js";
import { freePorts, ISSUER_PASSWORD, type Issuer, startIssuer } from "../helpers/oidc-issuer.js";

/** Keepwell on 127.0.0.1 with single sign-on at a real test issuer (also on 127.0.0.1), serving the dashboard. */
export async function startSsoServer(
  db: Db,
  defaultRole?: Role,
): Promise<{ url: string; issuer: Issuer; close: () => Promise<void> }> {
  const [port] = await freePorts(1);
  const url = `http://127.0.0.1:${port}`;
  const issuer = await startIssuer({ redirectUris: [`${url}/auth/oidc/callback`] });
  const { clientId, clientSecret } = issuer;
  const app = await buildServer({
    db,
    config: {
      bodyLimit: 64 * 1024 * 1024,
      logLevel: "silent",
      publicUrl: url,
      oidc: { issuer: issuer.issuer, clientId, clientSecret, defaultRole },
    },
  });
  await app.listen({ port, host: "127.0.0.1" });
  return {
    url,
    issuer,
    close: async () => {
      await app.close();
      await issuer.close();
    },
  };
}

/** Signs in on the test issuer's own pages, as a person would: its login form, then its consent form. */
export async function signInAtIssuer(page: Page, login: string, password = ISSUER_PASSWORD): Promise<void> {
  await page.getByLabel("Username").fill(login);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("button", { name: "Allow" }).click();
}
