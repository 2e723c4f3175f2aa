import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Db } from "../../src/store/index.js";
import { testDb } from "./db.js";
import { type Clock, clockAt, closeChannels, type Engine, engine, T0 } from "./notify-world.js";
import { type HttpReceiver, type SmtpReceiver, startHttpReceiver, startSmtpReceiver } from "./receivers.js";

export type NotifySuite = { smtp: SmtpReceiver; http: HttpReceiver; db: Db; clock: Clock; e: Engine };

/**
 * A notification test file's common hooks: a real SMTP and HTTP receiver for
 * the whole file, and for each test a fresh store, a clock at T0, the engine
 * on them, and the receivers emptied (the HTTP one answering 200). Registered
 * before the file's own hooks, so those run after it; read the fields in them.
 */
export function notifySuite(): NotifySuite {
  const s = {} as NotifySuite;
  beforeAll(async () => {
    s.smtp = await startSmtpReceiver();
    s.http = await startHttpReceiver();
  });
  afterAll(async () => {
    await closeChannels();
    await s.smtp?.close();
    await s.http?.close();
  });
  beforeEach(async () => {
    s.db = await testDb();
    s.clock = clockAt(T0);
    s.e = engine(s.db, s.clock);
    s.smtp.messages.length = 0;
    s.http.requests.length = 0;
    s.http.respond(() => ({ status: 200, body: "ok" }));
  });
  return s;
}
