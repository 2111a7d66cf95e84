-- The organisation register: city districts, organisations (keyed by
-- organisationsnummer where they have one), their focus challenges and
-- districts, their members, and accessions (joining an agreement).
-- Keep in step with migrations/postgres/0003_organisations.sql.

CREATE TABLE districts (
    id INTEGER PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (municipality_id, slug)
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_number TEXT UNIQUE,
    legal_form TEXT NOT NULL,
    description TEXT NOT NULL,
    website TEXT,
    contact_email TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE organisation_districts (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    district_id BIGINT NOT NULL REFERENCES districts (id),
    PRIMARY KEY (organisation_id, district_id)
);

CREATE TABLE organisation_challenges (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    challenge_id BIGINT NOT NULL REFERENCES challenges (id),
    PRIMARY KEY (organisation_id, challenge_id)
);

CREATE TABLE organisation_members (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX organisation_members_user ON organisation_members (user_id);

CREATE TABLE accessions (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    organisation_id BIGINT REFERENCES organisations (id),
    status TEXT NOT NULL,
    applied_on DATE NOT NULL,
    decided_on DATE,
    withdrawn_on DATE
);
CREATE INDEX accessions_agreement ON accessions (agreement_id, status);
CREATE INDEX accessions_organisation ON accessions (organisation_id);
