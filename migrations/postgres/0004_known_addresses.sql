-- Network addresses a person has signed in from, so that the per-account
-- limit on failed sign-ins cannot lock the owner out from a known address.
-- Keep in step with migrations/sqlite/0004_known_addresses.sql.

CREATE TABLE known_addresses (
    user_id BIGINT NOT NULL REFERENCES users (id),
    address TEXT NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, address)
);
