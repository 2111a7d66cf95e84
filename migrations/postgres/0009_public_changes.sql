-- The public record's change counter, shared by every instance on the
-- database. Each write to what the public pages show adds one to it in the
-- writing transaction (and, on PostgreSQL, sends NOTIFY samverkan_public on
-- commit); each instance compares it with the counter its cached copy was
-- read at, and refreshes that copy in the background when it is behind.
-- Keep in step with migrations/sqlite/0009_public_changes.sql.

CREATE TABLE public_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch BIGINT NOT NULL
);

INSERT INTO public_changes (id, epoch) VALUES (1, 0);
