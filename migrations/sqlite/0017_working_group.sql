-- The working group's meetings, their decisions and the action items that
-- follow from them. A meeting has a kind ('working_group' now), so that
-- later kinds (a public meeting organisations register for, say) can use
-- the same table. The agenda is one item a line; the minutes are a draft
-- until approved (the day and who approved them kept), and only approved
-- minutes, with the meeting's decisions, are public; approved minutes are
-- never edited in place. A meeting and an action item carry a version, so
-- two edits made on one version cannot both pass (the second gets 409).
-- An action item's owner is an account (its current name shown) or a name
-- typed; it may name a challenge and an activity of the plans.
-- Keep in step with migrations/postgres/0017_working_group.sql.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    meets_on DATE NOT NULL,
    starts_at TEXT NOT NULL,
    place TEXT NOT NULL,
    agenda TEXT NOT NULL,
    minutes TEXT NOT NULL DEFAULT '',
    minutes_status TEXT NOT NULL DEFAULT 'draft',
    minutes_approved_on DATE,
    minutes_approved_by BIGINT REFERENCES users (id),
    created_by BIGINT REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX meetings_agreement ON meetings (agreement_id, kind, meets_on);

CREATE TABLE meeting_decisions (
    id INTEGER PRIMARY KEY,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    challenge_id BIGINT REFERENCES challenges (id)
);
CREATE INDEX meeting_decisions_meeting ON meeting_decisions (meeting_id, position);

CREATE TABLE action_items (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    meeting_id BIGINT REFERENCES meetings (id),
    title TEXT NOT NULL,
    owner_name TEXT NOT NULL,
    owner_user_id BIGINT REFERENCES users (id),
    due_on DATE,
    status TEXT NOT NULL,
    challenge_id BIGINT REFERENCES challenges (id),
    activity_id BIGINT REFERENCES activities (id),
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX action_items_agreement ON action_items (agreement_id, status, due_on);
CREATE INDEX action_items_meeting ON action_items (meeting_id);
CREATE INDEX action_items_owner ON action_items (owner_user_id);
