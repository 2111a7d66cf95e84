-- Roles people hold beyond membership of an organisation (coordinator of an
-- agreement, official of a city body), invitations to organisations, the
-- accession workflow (who applied, who decided, why), optimistic versions of
-- organisation profiles, token payloads (a new e-mail address) and the audit
-- record. Keep in step with migrations/postgres/0005_roles_and_workflow.sql.

CREATE TABLE coordinators (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, user_id)
);
CREATE INDEX coordinators_user ON coordinators (user_id);

CREATE TABLE officials (
    city_body_id BIGINT NOT NULL REFERENCES city_bodies (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (city_body_id, user_id)
);
CREATE INDEX officials_user ON officials (user_id);

CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    accepted_at TIMESTAMPTZ,
    accepted_by BIGINT REFERENCES users (id),
    revoked_at TIMESTAMPTZ
);
CREATE INDEX invitations_organisation ON invitations (organisation_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);

ALTER TABLE accessions ADD COLUMN city_body_id BIGINT REFERENCES city_bodies (id);
ALTER TABLE accessions ADD COLUMN user_id BIGINT REFERENCES users (id);
ALTER TABLE accessions ADD COLUMN applied_by BIGINT REFERENCES users (id);
ALTER TABLE accessions ADD COLUMN decided_by BIGINT REFERENCES users (id);
ALTER TABLE accessions ADD COLUMN reason TEXT;

ALTER TABLE organisations ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

ALTER TABLE user_tokens ADD COLUMN payload TEXT;
