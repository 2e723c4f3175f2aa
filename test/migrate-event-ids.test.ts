import { describe, expect, it } from "vitest";
import { loadMigrations, migrate } from "../src/store/index.js";
import { storeName, testDb } from "./helpers/db.js";

/**
 * 0008 makes an event id unique on its own. A store written before it may
 * hold one id under two accounts: the first copy stays, the other moves to
 * event_id_conflicts, and the usage roll-ups of the days it touched are
 * summed again from the events that stay.
 */
describe(`migration 0008: one event per id (${storeName})`, () => {
  it("keeps the first copy, quarantines the rest, and re-sums the roll-ups they touched", async () => {
    const db = await testDb();
    try {
      // A store as 0007 left it: rebuild the events table with the old key and roll-ups to match.
      await db.exec(`DELETE FROM keepwell_migrations WHERE version = 8;
        DROP TABLE event_id_conflicts;
        ALTER TABLE events DROP CONSTRAINT events_pkey;
        DROP INDEX events_account_ts_idx;
        ALTER TABLE events ADD PRIMARY KEY (account, id);
        INSERT INTO accounts (id, name) VALUES ('a', 'A'), ('b', 'B');
        INSERT INTO events (id, account, user_id, ts, name, value, ingested_at) VALUES
          ('e1', 'a', 'u1', '2025-06-01T10:00:00Z', 'view', 1, '2025-06-02T00:00:00Z'),
          ('e1', 'b', 'u2', '2025-06-01T11:00:00Z', 'view', 5, '2025-06-03T00:00:00Z'),
          ('e2', 'b', 'u2', '2025-06-01T12:00:00Z', 'edit', 2, '2025-06-03T00:00:00Z'),
          ('e3', 'a', 'u1', '2025-06-05T09:00:00Z', 'view', 1, '2025-06-06T00:00:00Z');
        INSERT INTO usage_user_days (day, account, user_id, events, value)
          SELECT (ts AT TIME ZONE 'UTC')::date, account, user_id, count(*), sum(value) FROM events GROUP BY 1, 2, 3;
        INSERT INTO usage_feature_days (day, account, name, events, value)
          SELECT (ts AT TIME ZONE 'UTC')::date, account, name, count(*), sum(value) FROM events GROUP BY 1, 2, 3;`);
      const applied = await migrate(db, loadMigrations());
      expect(applied).toEqual(["0008_event_ids"]);

      const events = await db.query("SELECT id, account FROM events ORDER BY id, account");
      expect(events).toEqual([
        { id: "e1", account: "a" },
        { id: "e2", account: "b" },
        { id: "e3", account: "a" },
      ]);
      expect(await db.query("SELECT id, account, value FROM event_id_conflicts")).toEqual([
        { id: "e1", account: "b", value: 5 },
      ]);
      const users = await db.query(
        "SELECT day, account, user_id, sum(events)::int AS events, sum(value)::float8 AS value FROM usage_user_days GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
      );
      expect(users).toEqual([
        { day: "2025-06-01", account: "a", user_id: "u1", events: 1, value: 1 },
        { day: "2025-06-01", account: "b", user_id: "u2", events: 1, value: 2 },
        { day: "2025-06-05", account: "a", user_id: "u1", events: 1, value: 1 },
      ]);
      const features = await db.query(
        "SELECT account, name, sum(events)::int AS events FROM usage_feature_days GROUP BY 1, 2 ORDER BY 1, 2",
      );
      expect(features).toEqual([
        { account: "a", name: "view", events: 2 },
        { account: "b", name: "edit", events: 1 },
      ]);
      // The key is the id now: the same id under another account cannot be stored.
      await expect(
        db.exec("INSERT INTO events (id, account, ts, name) VALUES ('e3', 'b', now(), 'view')"),
      ).rejects.toMatchObject({ code: "23505" });
    } finally {
      await db.close();
    }
  });
});
