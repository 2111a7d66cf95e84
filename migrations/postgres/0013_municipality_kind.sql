-- A public-sector party is a municipality (kommun) or a region; what was
-- stored before is a municipality.

ALTER TABLE municipalities ADD COLUMN kind TEXT NOT NULL DEFAULT 'municipality';
