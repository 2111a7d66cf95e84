-- A governance role carries a version, so that two edits of one role made
-- on the same page cannot both pass (the second gets 409 with what was
-- typed kept). A role is edited (its side, title, mailbox and description;
-- its kind is what its terms mean, and stays) or, while nobody has held it,
-- removed.
-- Keep in step with migrations/postgres/0019_role_versions.sql.

ALTER TABLE governance_roles ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
