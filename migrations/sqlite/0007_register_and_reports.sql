-- The collaboration register and the committees' yearly reports: each
-- record of a city body's collaboration with organisations (form, period,
-- money per year, the challenge, activity and principles it serves), the
-- organisations' comments and flagged mistakes, reports per agreement,
-- committee and year with their written sections and the sector's
-- contributions, every published version frozen as a document, the
-- deadlines per year and the reminders sent.
-- Keep in step with migrations/postgres/0007_register_and_reports.sql.

CREATE TABLE collaborations (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    city_body_id BIGINT NOT NULL REFERENCES city_bodies (id),
    form TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    outcome TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    district_id BIGINT REFERENCES districts (id),
    challenge_id BIGINT REFERENCES challenges (id),
    activity_id BIGINT REFERENCES activities (id),
    version BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX collaborations_body ON collaborations (agreement_id, city_body_id, starts_on);

CREATE TABLE collaboration_organisations (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (collaboration_id, organisation_id)
);
CREATE INDEX collaboration_organisations_org ON collaboration_organisations (organisation_id);

CREATE TABLE collaboration_money (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations (id),
    year INTEGER NOT NULL,
    amount_sek BIGINT NOT NULL,
    PRIMARY KEY (collaboration_id, year)
);

CREATE TABLE collaboration_principles (
    collaboration_id BIGINT NOT NULL REFERENCES collaborations (id),
    principle_id BIGINT NOT NULL REFERENCES principles (id),
    PRIMARY KEY (collaboration_id, principle_id)
);

CREATE TABLE collaboration_remarks (
    id INTEGER PRIMARY KEY,
    collaboration_id BIGINT NOT NULL REFERENCES collaborations (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    resolved_at TIMESTAMPTZ,
    resolved_by_name TEXT,
    response TEXT
);
CREATE INDEX collaboration_remarks_record ON collaboration_remarks (collaboration_id);

CREATE TABLE committee_reports (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    city_body_id BIGINT NOT NULL REFERENCES city_bodies (id),
    year INTEGER NOT NULL,
    status TEXT NOT NULL,
    went_well TEXT NOT NULL,
    went_badly TEXT NOT NULL,
    next_year TEXT NOT NULL,
    approved_on DATE,
    decision_reference TEXT,
    correction_reason TEXT,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (agreement_id, city_body_id, year)
);

CREATE TABLE report_reflections (
    report_id BIGINT NOT NULL REFERENCES committee_reports (id),
    principle_id BIGINT NOT NULL REFERENCES principles (id),
    body TEXT NOT NULL,
    PRIMARY KEY (report_id, principle_id)
);

CREATE TABLE report_contributions (
    id INTEGER PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES committee_reports (id),
    organisation_id BIGINT REFERENCES organisations (id),
    party_name TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX report_contributions_report ON report_contributions (report_id);

CREATE TABLE report_publications (
    report_id BIGINT NOT NULL REFERENCES committee_reports (id),
    number INTEGER NOT NULL,
    published_at TIMESTAMPTZ NOT NULL,
    published_by_name TEXT NOT NULL,
    reason TEXT,
    content TEXT NOT NULL,
    PRIMARY KEY (report_id, number)
);

CREATE TABLE report_deadlines (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    year INTEGER NOT NULL,
    due_on DATE NOT NULL,
    PRIMARY KEY (agreement_id, year)
);

CREATE TABLE report_reminders (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    city_body_id BIGINT NOT NULL REFERENCES city_bodies (id),
    year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (agreement_id, city_body_id, year, kind)
);
