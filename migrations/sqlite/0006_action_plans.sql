-- The action plan and its follow-up: the four parts of each plan, activities
-- with responsible parties on both sides and partners, milestones, money by
-- source and year, principles and decisions, dated progress updates (and
-- partners' proposals), self-assessments per principle, and the public
-- history of every change to an activity.
-- Keep in step with migrations/postgres/0006_action_plans.sql.

CREATE TABLE action_plan_parts (
    plan_id BIGINT NOT NULL REFERENCES action_plans (id),
    part TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (plan_id, part)
);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    plan_id BIGINT NOT NULL REFERENCES action_plans (id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    goal TEXT NOT NULL,
    part TEXT NOT NULL,
    challenge_id BIGINT REFERENCES challenges (id),
    district_id BIGINT REFERENCES districts (id),
    one_sided_reason TEXT,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    status TEXT NOT NULL,
    progress INTEGER NOT NULL,
    audiences TEXT NOT NULL,
    channels TEXT NOT NULL,
    timing TEXT NOT NULL,
    hours_city BIGINT NOT NULL,
    hours_sector BIGINT NOT NULL,
    premises TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (plan_id, slug)
);
CREATE INDEX activities_challenge ON activities (challenge_id);

CREATE TABLE activity_parties (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    role TEXT NOT NULL,
    organisation_id BIGINT REFERENCES organisations (id),
    city_body_id BIGINT REFERENCES city_bodies (id)
);
CREATE INDEX activity_parties_activity ON activity_parties (activity_id);
CREATE INDEX activity_parties_organisation ON activity_parties (organisation_id);
CREATE INDEX activity_parties_city_body ON activity_parties (city_body_id);

CREATE TABLE activity_milestones (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    title TEXT NOT NULL,
    due_on DATE NOT NULL,
    reached_on DATE
);
CREATE INDEX activity_milestones_activity ON activity_milestones (activity_id);

CREATE TABLE activity_funding (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    source TEXT NOT NULL,
    year INTEGER NOT NULL,
    amount_sek BIGINT NOT NULL
);
CREATE INDEX activity_funding_activity ON activity_funding (activity_id);

CREATE TABLE activity_principles (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    principle_id BIGINT NOT NULL REFERENCES principles (id),
    PRIMARY KEY (activity_id, principle_id)
);

CREATE TABLE activity_decisions (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    decision_id BIGINT NOT NULL REFERENCES decisions (id),
    PRIMARY KEY (activity_id, decision_id)
);

CREATE TABLE progress_updates (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    written_on DATE NOT NULL,
    state TEXT NOT NULL,
    body TEXT NOT NULL,
    progress INTEGER,
    status TEXT,
    milestone_id BIGINT REFERENCES activity_milestones (id),
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    party_name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    decided_by BIGINT REFERENCES users (id),
    decided_at TIMESTAMPTZ
);
CREATE INDEX progress_updates_activity ON progress_updates (activity_id, written_on);

CREATE TABLE self_assessments (
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    principle_id BIGINT NOT NULL REFERENCES principles (id),
    score INTEGER NOT NULL,
    comment TEXT NOT NULL,
    assessed_on DATE NOT NULL,
    author_id BIGINT REFERENCES users (id),
    PRIMARY KEY (activity_id, principle_id)
);

CREATE TABLE activity_changes (
    id INTEGER PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities (id),
    version BIGINT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL,
    author_id BIGINT REFERENCES users (id),
    author_name TEXT NOT NULL,
    field TEXT NOT NULL,
    before_value TEXT NOT NULL,
    after_value TEXT NOT NULL
);
CREATE INDEX activity_changes_activity ON activity_changes (activity_id, version);

-- Plans are kept from the web: an edit names the version it started from.
ALTER TABLE action_plans ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
