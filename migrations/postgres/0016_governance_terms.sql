-- Governance as working data: a role's term may name an account (whose
-- display name the contact page shows, and whose term of a coordinator's
-- role grants the coordinator's rights for its period), and carries a
-- version so that two edits of one term cannot both pass (the second gets
-- 409). A term without an account names its holder as text only (a person
-- of an organisation, say). Host pairs stay roles per challenge (kind
-- challenge_host, the challenge in the title), so a term needs no challenge.
-- Keep in step with migrations/sqlite/0016_governance_terms.sql.

ALTER TABLE role_terms ADD COLUMN user_id BIGINT REFERENCES users (id);
ALTER TABLE role_terms ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
CREATE INDEX role_terms_user ON role_terms (user_id, starts_on);
