-- The contract term of a subscription, in months (1 monthly, 12 annual): with
-- the account's first subscription start it gives the renewal dates, point in
-- time (accounts.renewal_date is only today's next renewal).
ALTER TABLE subscriptions ADD COLUMN term_months integer;
