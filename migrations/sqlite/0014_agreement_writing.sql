-- Agreements written in the browser: a revision number on the agreement and
-- on each version (an edit made on an older revision is refused, 409), the
-- agreement's signatories (public-sector parties and the sector's signatory
-- bodies), the public history of its life cycle (who took which step, when,
-- on which version, by which decision), and the content in other languages
-- (by anchor, so a translation follows its paragraph across edits); and the
-- status of an action plan.
-- Keep in step with migrations/postgres/0014_agreement_writing.sql.

ALTER TABLE agreements ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;
ALTER TABLE agreement_versions ADD COLUMN revision BIGINT NOT NULL DEFAULT 1;

-- An action plan is a draft, adopted (with its decision) or closed; the
-- plans kept before were adopted.
ALTER TABLE action_plans ADD COLUMN status TEXT NOT NULL DEFAULT 'adopted';

CREATE TABLE agreement_signatories (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    position INTEGER NOT NULL,
    side TEXT NOT NULL,
    municipality_id BIGINT REFERENCES municipalities (id),
    name TEXT NOT NULL
);
CREATE INDEX agreement_signatories_agreement ON agreement_signatories (agreement_id, position);

CREATE TABLE agreement_events (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    at TIMESTAMPTZ NOT NULL,
    step TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    actor_name TEXT NOT NULL,
    version_number INTEGER,
    decision_id BIGINT REFERENCES decisions (id),
    note TEXT NOT NULL
);
CREATE INDEX agreement_events_agreement ON agreement_events (agreement_id, at);

-- A version's headings and paragraphs in another language, by anchor.
CREATE TABLE version_translations (
    version_id BIGINT NOT NULL REFERENCES agreement_versions (id),
    lang TEXT NOT NULL,
    anchor TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (version_id, lang, anchor)
);
