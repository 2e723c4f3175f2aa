-- The tone of each ticket's text (−1..1), scored once at ingest, never at scoring time.
ALTER TABLE tickets ADD COLUMN sentiment real;
