-- Files attached to decisions, versions of the agreement's text and action
-- plans (PDF, ODF, OOXML, images). The content is stored in the row, so
-- every instance on the database serves the same files and a backup of the
-- database holds them; lists read the other columns only.
-- Keep in step with migrations/postgres/0015_documents.sql.

CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    title TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    uploaded_by BIGINT REFERENCES users (id),
    uploaded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id);
