-- The agreement as public data: municipalities and their bodies, agreements with
-- versions, decisions, principles, ways of working, challenges, plans and roles.
-- Keep in step with migrations/postgres/0001_agreements.sql (a test compares them).

CREATE TABLE municipalities (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL
);

CREATE TABLE city_bodies (
    id INTEGER PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id BIGINT REFERENCES city_bodies (id),
    description TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (municipality_id, slug)
);

CREATE TABLE agreements (
    id INTEGER PRIMARY KEY,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id),
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    status TEXT NOT NULL,
    status_since DATE NOT NULL,
    summary TEXT NOT NULL,
    vision TEXT NOT NULL,
    successor_id BIGINT REFERENCES agreements (id),
    position INTEGER NOT NULL
);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    decided_on DATE NOT NULL,
    date_precision TEXT NOT NULL,
    city_body_id BIGINT REFERENCES city_bodies (id),
    decided_by_name TEXT,
    reference TEXT,
    url TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX decisions_agreement_date ON decisions (agreement_id, decided_on);

CREATE TABLE agreement_versions (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    number INTEGER NOT NULL,
    label TEXT NOT NULL,
    status TEXT NOT NULL,
    published_on DATE NOT NULL,
    decision_id BIGINT REFERENCES decisions (id),
    note TEXT NOT NULL,
    UNIQUE (agreement_id, number)
);

CREATE TABLE version_sections (
    id INTEGER PRIMARY KEY,
    version_id BIGINT NOT NULL REFERENCES agreement_versions (id),
    position INTEGER NOT NULL,
    anchor TEXT NOT NULL,
    heading TEXT NOT NULL,
    UNIQUE (version_id, anchor)
);

CREATE TABLE version_paragraphs (
    id INTEGER PRIMARY KEY,
    section_id BIGINT NOT NULL REFERENCES version_sections (id),
    position INTEGER NOT NULL,
    anchor TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX version_paragraphs_section ON version_paragraphs (section_id, position);

CREATE TABLE principles (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    position INTEGER NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    UNIQUE (agreement_id, slug)
);

CREATE TABLE commitments (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    position INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX commitments_agreement ON commitments (agreement_id, position);

CREATE TABLE challenges (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    position INTEGER NOT NULL,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    summary TEXT NOT NULL,
    description TEXT NOT NULL,
    UNIQUE (agreement_id, slug)
);

CREATE TABLE action_plans (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    extended_to DATE,
    decision_id BIGINT REFERENCES decisions (id),
    summary TEXT NOT NULL,
    UNIQUE (agreement_id, slug)
);

CREATE TABLE action_plan_challenges (
    plan_id BIGINT NOT NULL REFERENCES action_plans (id),
    challenge_id BIGINT NOT NULL REFERENCES challenges (id),
    PRIMARY KEY (plan_id, challenge_id)
);

CREATE TABLE governance_roles (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    position INTEGER NOT NULL,
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    side TEXT NOT NULL,
    title TEXT NOT NULL,
    mailbox TEXT,
    description TEXT NOT NULL,
    UNIQUE (agreement_id, slug)
);

CREATE TABLE role_terms (
    id INTEGER PRIMARY KEY,
    role_id BIGINT NOT NULL REFERENCES governance_roles (id),
    holder TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE
);
CREATE INDEX role_terms_role ON role_terms (role_id, starts_on);
