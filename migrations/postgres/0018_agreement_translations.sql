-- The agreement's own fields (name, short name, summary, vision) and its
-- principles and challenges in other languages than Swedish, one row a
-- field: part 'agreement' (slug empty), 'principle' or 'challenge' (the
-- part's slug, which stays while its name does). A save of the fields
-- form rewrites the agreement's rows of a language; a save of the parts
-- form rewrites those of its principles and challenges, so no row
-- outlives the part it translates. A field with no row is shown in
-- Swedish, and the page says so.
-- Keep in step with migrations/sqlite/0018_agreement_translations.sql.

CREATE TABLE agreement_translations (
    agreement_id BIGINT NOT NULL REFERENCES agreements (id),
    lang TEXT NOT NULL,
    part TEXT NOT NULL,
    slug TEXT NOT NULL,
    field TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (agreement_id, lang, part, slug, field)
);
